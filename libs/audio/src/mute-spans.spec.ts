import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePcm } from './decode-pcm.js';
import { inMemoryWav, muteSpans } from './mute-spans.js';
import { probeAudio } from './probe-audio.js';
import { runTool } from './run-process.js';

const RATE = 8000;
let dir: string;
let tone: string;

/** A 3 s stereo tone (440 Hz left, 660 Hz right), written by ffmpeg in the given codec and container. */
async function makeTone(name: string, codecArgs: string[]): Promise<string> {
  const path = join(dir, name);
  const result = await runTool('ffmpeg', [
    '-nostdin', '-v', 'error',
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${RATE}:duration=3`,
    '-f', 'lavfi', '-i', `sine=frequency=660:sample_rate=${RATE}:duration=3`,
    '-filter_complex', '[0][1]amerge=inputs=2', ...codecArgs, '-y', path,
  ]);
  if (result.code !== 0) throw new Error(result.stderr);
  return path;
}

async function samples(path: string): Promise<Float32Array[]> {
  const channels: number[][] = [[], []];
  for await (const block of decodePcm(path, { sampleRate: RATE, channels: 2 })) {
    block.forEach((data, ch) => channels[ch]?.push(...data));
  }
  return channels.map((c) => Float32Array.from(c));
}

function rms(data: Float32Array, fromSeconds: number, toSeconds: number): number {
  const from = Math.round(fromSeconds * RATE);
  const to = Math.round(toSeconds * RATE);
  let sum = 0;
  for (let i = from; i < to; i++) sum += (data[i] ?? 0) ** 2;
  return Math.sqrt(sum / (to - from));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-mute-'));
  tone = await makeTone('tone.wav', ['-c:a', 'pcm_s16le']);
}, 30_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('muteSpans', () => {
  it('silences exactly the span of a PCM WAV and leaves every other sample as it was', async () => {
    const copy = await muteSpans(tone, [{ start: 1, end: 2 }], join(dir, 'tone-muted'));
    expect(copy).toEqual({ path: join(dir, 'tone-muted.wav'), extension: 'wav', contentType: 'audio/wav', codec: 'pcm_s16le' });
    expect(await probeAudio(copy.path)).toMatchObject({ format: 'wav', codec: 'pcm_s16le', channels: 2, sampleRate: RATE });
    const [before, after] = [await samples(tone), await samples(copy.path)];
    for (let ch = 0; ch < 2; ch++) {
      const original = before[ch] as Float32Array;
      const muted = after[ch] as Float32Array;
      expect(muted).toHaveLength(original.length);
      expect(rms(original, 1, 2)).toBeGreaterThan(0.05);
      expect(rms(muted, 1, 2)).toBe(0);
      // outside the span, sample for sample the original
      expect(Array.from(muted.subarray(0, RATE))).toEqual(Array.from(original.subarray(0, RATE)));
      expect(Array.from(muted.subarray(2 * RATE))).toEqual(Array.from(original.subarray(2 * RATE)));
    }
  });

  it('mutes several spans, and a span not on a 10 ms boundary entirely', async () => {
    const copy = await muteSpans(tone, [{ start: 2.5, end: 2.8 }, { start: 0.255, end: 0.5 }], join(dir, 'two-spans'));
    const [left] = await samples(copy.path);
    const original = (await samples(tone))[0] as Float32Array;
    expect(rms(left as Float32Array, 0.255, 0.5)).toBe(0);
    expect(rms(left as Float32Array, 2.5, 2.8)).toBe(0);
    // at most one 10 ms frame before a span is muted with it
    expect(Array.from((left as Float32Array).subarray(0, Math.round(0.245 * RATE)))).toEqual(Array.from(original.subarray(0, Math.round(0.245 * RATE))));
    expect(rms(left as Float32Array, 0.6, 2.4)).toBeCloseTo(rms(original, 0.6, 2.4), 6);
  });

  it.each([
    { name: 'mu-law WAV', file: 'tone-mulaw.wav', args: ['-c:a', 'pcm_mulaw'], format: 'wav', codec: 'pcm_mulaw', extension: 'wav' },
    { name: 'MP3', file: 'tone.mp3', args: ['-c:a', 'libmp3lame', '-b:a', '32k'], format: 'mp3', codec: 'mp3', extension: 'mp3' },
    { name: 'Ogg Vorbis', file: 'tone.ogg', args: ['-c:a', 'libvorbis'], format: 'ogg', codec: 'vorbis', extension: 'ogg' },
    { name: 'FLAC', file: 'tone.flac', args: ['-c:a', 'flac'], format: 'flac', codec: 'flac', extension: 'flac' },
    { name: 'M4A (AAC)', file: 'tone.m4a', args: ['-c:a', 'aac', '-b:a', '48k'], format: 'mov', codec: 'aac', extension: 'm4a' },
  ])('keeps a $name recording a $name, muted in the span', async ({ file, args, format, codec, extension }) => {
    const input = await makeTone(file, args);
    const copy = await muteSpans(input, [{ start: 1, end: 2 }], join(dir, `${file}-muted`));
    expect(copy.extension).toBe(extension);
    expect(await probeAudio(copy.path)).toMatchObject({ format, codec, channels: 2, sampleRate: RATE });
    const [before, after] = [await samples(input), await samples(copy.path)];
    for (let ch = 0; ch < 2; ch++) {
      // lossy codecs smear a few ms at the edges: look inside the span, and well away from it
      // the tone's RMS is ~0.088 (ffmpeg's sine is at 1/8 of full scale)
      expect(rms(after[ch] as Float32Array, 1.05, 1.95)).toBeLessThan(0.001);
      for (const [from, to] of [[0.2, 0.9], [2.1, 2.8]] as const) {
        const outside = rms(before[ch] as Float32Array, from, to);
        expect(outside).toBeGreaterThan(0.05);
        expect(rms(after[ch] as Float32Array, from, to) / outside).toBeGreaterThan(0.9);
        expect(rms(after[ch] as Float32Array, from, to) / outside).toBeLessThan(1.1);
      }
    }
  });

  it('copies the recording unchanged in format when there is nothing to mute', async () => {
    const copy = await muteSpans(tone, [], join(dir, 'none'));
    const [left] = await samples(copy.path);
    expect(Array.from(left as Float32Array)).toEqual(Array.from((await samples(tone))[0] as Float32Array));
  });
});

describe('inMemoryWav', () => {
  it('mutes a WAV in memory byte for byte as muteSpans mutes its file, and probes it as probeAudio does', async () => {
    const spans = [{ start: 0.4, end: 1.1 }, { start: 2.5, end: 9 }];
    for (const [name, codec] of [['s16.wav', 'pcm_s16le'], ['mulaw.wav', 'pcm_mulaw'], ['u8.wav', 'pcm_u8']] as const) {
      const path = name === 's16.wav' ? tone : await makeTone(name, ['-c:a', codec]);
      const bytes = await readFile(path);
      const wav = inMemoryWav(bytes);
      expect(wav?.probe).toEqual(await probeAudio(path));
      const copy = await muteSpans(path, spans, join(dir, `${name}-muted`));
      expect(wav?.muted(spans).equals(await readFile(copy.path))).toBe(true);
      // the recording itself is left as it was
      expect(bytes.equals(await readFile(path))).toBe(true);
    }
  });

  it('is null for audio that is not a plain PCM WAV, which then takes the file path', async () => {
    const mp3 = await makeTone('tone.mp3', ['-c:a', 'libmp3lame']);
    expect(inMemoryWav(await readFile(mp3))).toBeNull();
    expect(inMemoryWav(Buffer.from('RIFF\0\0\0\0WAVEnot a wav at all'))).toBeNull();
    const float64 = await makeTone('f64.wav', ['-c:a', 'pcm_f64le']);
    expect(inMemoryWav(await readFile(float64))).toBeNull();
  });
});
