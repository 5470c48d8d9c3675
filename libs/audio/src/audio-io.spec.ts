import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesiseCall, SHORT_CALL } from '../../../scripts/generate-test-calls.js';
import { clipSpan, cutClip } from './cut-clip.js';
import { decodePcm } from './decode-pcm.js';
import { probeAudio, probeWithFfprobe } from './probe-audio.js';
import { readWavHeader } from './wav-header.js';
import { UnreadableAudioError } from './unreadable-audio.error.js';

let dir: string;
let files: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-audio-'));
  files = (await synthesiseCall(SHORT_CALL, dir, ['stereo', 'stereo-mulaw', 'stereo-mp3', 'mono'])).files;
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('probeAudio', () => {
  it.each(['stereo', 'stereo-mulaw', 'mono'])('reads the %s WAV header in process as ffprobe describes the file', async (variant) => {
    const inProcess = readWavHeader(await readFile(files[variant]), (await stat(files[variant])).size);
    const ffprobe = await probeWithFfprobe(files[variant]);
    expect(inProcess).not.toBeNull();
    expect(inProcess).toMatchObject({ format: ffprobe.format, codec: ffprobe.codec, channels: ffprobe.channels, sampleRate: ffprobe.sampleRate });
    expect(inProcess?.durationSeconds).toBeCloseTo(ffprobe.durationSeconds, 2);
  });

  it('leaves a WAV header it does not trust to ffprobe', () => {
    const wav = Buffer.alloc(44);
    wav.write('RIFF', 0, 'latin1');
    wav.write('WAVEfmt ', 8, 'latin1');
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(12345, 28); // a byte rate that disagrees with 8 kHz 16-bit mono
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36, 'latin1');
    wav.writeUInt32LE(16_000, 40);
    expect(readWavHeader(wav, 44 + 16_000)).toBeNull();
    wav.writeUInt32LE(16_000, 28);
    expect(readWavHeader(wav, 44 + 16_000)).toMatchObject({ codec: 'pcm_s16le', durationSeconds: 1 });
    // a recording cut short: the file holds less than its header claims
    expect(readWavHeader(wav, 44 + 8000)).toMatchObject({ durationSeconds: 0.5 });
    expect(readWavHeader(Buffer.from('ID3 not a wav at all'), 20)).toBeNull();
  });

  it.each([
    { variant: 'stereo', format: 'wav', codec: 'pcm_s16le', channels: 2 },
    { variant: 'stereo-mulaw', format: 'wav', codec: 'pcm_mulaw', channels: 2 },
    { variant: 'stereo-mp3', format: 'mp3', codec: 'mp3', channels: 2 },
    { variant: 'mono', format: 'wav', codec: 'pcm_s16le', channels: 1 },
  ])('$variant → $format/$codec, $channels ch', async ({ variant, format, codec, channels }) => {
    const p = await probeAudio(files[variant]);
    expect(p).toMatchObject({ format, codec, channels, sampleRate: 8000 });
    expect(p.durationSeconds).toBeGreaterThan(14);
    expect(p.durationSeconds).toBeLessThan(16);
  });

  it.each([
    { name: 'text.wav', bytes: Buffer.from('this is not audio at all, just text pretending to be a wav file') },
    { name: 'truncated.wav', bytes: Buffer.from('RIFF\u0024\u0000\u0000\u0000WAVEfmt ', 'latin1') },
    { name: 'empty.mp3', bytes: Buffer.alloc(0) },
  ])('rejects $name with a readable UnreadableAudioError', async ({ name, bytes }) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const error = await probeAudio(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableAudioError);
    expect((error as UnreadableAudioError).reason.length).toBeGreaterThan(5);
  });

  it('rejects a missing file', async () => {
    await expect(probeAudio(join(dir, 'nope.wav'))).rejects.toBeInstanceOf(UnreadableAudioError);
  });
});

describe('decodePcm', () => {
  it('streams whole frames per channel with the exact sample count', async () => {
    const probe = await probeAudio(files.stereo);
    let samples = 0;
    let blocks = 0;
    let partial = 0;
    for await (const block of decodePcm(files.stereo, { sampleRate: 8000, channels: 2, frameSamples: 160 })) {
      expect(block).toHaveLength(2);
      expect(block[0].length).toBe(block[1].length);
      if (block[0].length % 160 !== 0) partial++;
      samples += block[0].length;
      blocks++;
    }
    expect(blocks).toBeGreaterThan(1);
    expect(partial).toBeLessThanOrEqual(1);
    expect(samples).toBe(Math.round(probe.durationSeconds * 8000));
  });

  it('throws UnreadableAudioError mid-stream for a corrupt file', async () => {
    const path = join(dir, 'garbage.mp3');
    await writeFile(path, Buffer.alloc(5000, 7));
    const consume = async (): Promise<void> => {
      for await (const _ of decodePcm(path, { sampleRate: 8000, channels: 1 })) void _;
    };
    await expect(consume()).rejects.toBeInstanceOf(UnreadableAudioError);
  });
});

describe('cutClip', () => {
  it.each([
    { span: { start: 5, end: 7, duration: 15 }, expected: { start: 2, end: 10 } },
    { span: { start: 1, end: 2, padBefore: 5, padAfter: 1, duration: 15 }, expected: { start: 0, end: 3 } },
    { span: { start: 13, end: 14, duration: 14.5 }, expected: { start: 10, end: 14.5 } },
  ])('clamps $span to $expected', ({ span, expected }) => {
    expect(clipSpan(span)).toEqual(expected);
  });

  it('refuses a span outside the call', () => {
    expect(() => clipSpan({ start: 20, end: 21, padBefore: 0, padAfter: 0, duration: 15 })).toThrow(RangeError);
  });

  it.each(['mp3', 'opus'] as const)('cuts a small %s clip to a file and to a stream', async (format) => {
    const out = join(dir, `clip.${format}`);
    const result = await cutClip(files.stereo, { start: 4, end: 6, duration: 14.77 }, out, format);
    expect(result).toMatchObject({ start: 1, end: 9, format });
    const probe = await probeAudio(out);
    expect(probe.durationSeconds).toBeGreaterThan(7.5);
    expect(probe.durationSeconds).toBeLessThan(8.6);
    expect(probe.channels).toBe(1);
    expect((await stat(out)).size).toBeLessThan(40_000);

    const streamed = join(dir, `streamed.${format}`);
    await cutClip(files.stereo, { start: 4, end: 6, duration: 14.77 }, createWriteStream(streamed), format);
    expect((await probeAudio(streamed)).codec).toBe(format === 'mp3' ? 'mp3' : 'opus');
  });
});
