import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AudioProbe, WAV_HEAD_BYTES, probeAudio } from './probe-audio.js';
import { type WavLayout, readWavLayout } from './wav-header.js';
import { ffmpegReason, runTool } from './run-process.js';
import { UnreadableAudioError } from './unreadable-audio.error.js';

/** Seconds from the start of the recording. */
export interface MuteSpan {
  start: number;
  end: number;
}

export interface MutedCopy {
  path: string;
  /** file extension of the copy: the input's (wav, mp3, ogg, flac, m4a), or wav where it could not be kept */
  extension: string;
  contentType: string;
  codec: string;
}

interface Container {
  extension: string;
  muxer: string;
  contentType: string;
}

// ffprobe's container name -> how to write it again
const CONTAINERS: Record<string, Container> = {
  wav: { extension: 'wav', muxer: 'wav', contentType: 'audio/wav' },
  mp3: { extension: 'mp3', muxer: 'mp3', contentType: 'audio/mpeg' },
  ogg: { extension: 'ogg', muxer: 'ogg', contentType: 'audio/ogg' },
  flac: { extension: 'flac', muxer: 'flac', contentType: 'audio/flac' },
  mov: { extension: 'm4a', muxer: 'mp4', contentType: 'audio/mp4' },
};
const WAV = CONTAINERS.wav as Container;

// codec -> encoder; lossy ones get the input's bit rate back
const ENCODERS: Record<string, { encoder: string; lossy: boolean }> = {
  mp3: { encoder: 'libmp3lame', lossy: true },
  vorbis: { encoder: 'libvorbis', lossy: true },
  opus: { encoder: 'libopus', lossy: true },
  aac: { encoder: 'aac', lossy: true },
  flac: { encoder: 'flac', lossy: false },
  alac: { encoder: 'alac', lossy: false },
  gsm_ms: { encoder: 'libgsm_ms', lossy: false },
  adpcm_ms: { encoder: 'adpcm_ms', lossy: false },
  adpcm_ima_wav: { encoder: 'adpcm_ima_wav', lossy: false },
};

function encoderOf(codec: string): { encoder: string; lossy: boolean } | null {
  if (codec.startsWith('pcm_')) return { encoder: codec, lossy: false };
  return ENCODERS[codec] ?? null;
}

// The volume filter switches per frame, so frames are cut to 10 ms first; a frame that starts less than one frame
// before a span is muted too, so the whole span is always silent (up to 10 ms more, never less).
const FRAME_SECONDS = 0.01;

function muteFilter(spans: readonly MuteSpan[], sampleRate: number): string {
  const frameSamples = Math.max(1, Math.round(sampleRate * FRAME_SECONDS));
  const frame = frameSamples / sampleRate;
  const terms = spans
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .map((s) => `between(t,${Math.max(0, s.start - frame + 1e-6).toFixed(6)},${(s.end - 1e-6).toFixed(6)})`);
  if (terms.length === 0) return 'anull';
  return `asetnsamples=n=${frameSamples}:p=0,volume=volume=0:enable='${terms.join('+')}'`;
}

async function encode(inputPath: string, filter: string, probe: AudioProbe, container: Container, codec: string, output: string): Promise<string | null> {
  const encoder = encoderOf(codec);
  if (!encoder) return `no encoder for ${codec}`;
  const args = [
    '-nostdin', '-v', 'error', '-threads', '1', '-i', inputPath,
    '-vn', '-map', '0:a:0', '-af', filter,
    '-c:a', encoder.encoder, '-ar', String(probe.sampleRate), '-ac', String(probe.channels),
    ...(encoder.lossy && probe.bitRate ? ['-b:a', String(Math.round(probe.bitRate))] : []),
    '-f', container.muxer, '-y', output,
  ];
  const result = await runTool('ffmpeg', args);
  return result.code === 0 ? null : ffmpegReason(result.stderr, `ffmpeg exited with code ${result.code}`);
}

/**
 * Writes a copy of a recording with the given spans silenced on every channel, keeping its container, codec, sample
 * rate and channels (lossy codecs at the input's bit rate); where that codec cannot be written again, a WAV PCM copy.
 * The copy is `<outputStem>.<extension>`. Throws UnreadableAudioError when ffmpeg cannot read the input.
 */
export async function muteSpans(inputPath: string, spans: readonly MuteSpan[], outputStem: string): Promise<MutedCopy> {
  const wav = await wavLayoutOf(inputPath);
  if (wav && SILENCE[wav.probe.codec] !== undefined) {
    const path = `${outputStem}.${WAV.extension}`;
    await muteWavInProcess(inputPath, wav, spans, path);
    return { path, extension: WAV.extension, contentType: WAV.contentType, codec: wav.probe.codec };
  }
  const probe = await probeAudio(inputPath);
  const filter = muteFilter(spans, probe.sampleRate);
  const container = CONTAINERS[probe.format];
  if (container && encoderOf(probe.codec)) {
    const path = `${outputStem}.${container.extension}`;
    const failure = await encode(inputPath, filter, probe, container, probe.codec, path);
    if (!failure) return { path, extension: container.extension, contentType: container.contentType, codec: probe.codec };
    await rm(path, { force: true });
  }
  const path = `${outputStem}.${WAV.extension}`;
  const failure = await encode(inputPath, filter, probe, WAV, 'pcm_s16le', path);
  if (failure) throw new UnreadableAudioError(inputPath, failure);
  return { path, extension: WAV.extension, contentType: WAV.contentType, codec: 'pcm_s16le' };
}

/** The byte one sample of silence is made of, per PCM codec (every byte of the sample the same). */
const SILENCE: Readonly<Record<string, number>> = {
  pcm_s16le: 0x00,
  pcm_s24le: 0x00,
  pcm_s32le: 0x00,
  pcm_f32le: 0x00,
  pcm_u8: 0x80,
  pcm_mulaw: 0xff,
  pcm_alaw: 0xd5,
};

async function wavLayoutOf(path: string): Promise<WavLayout | null> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return null;
  try {
    const head = Buffer.alloc(WAV_HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return readWavLayout(head.subarray(0, bytesRead), (await stat(path)).size);
  } finally {
    await file.close();
  }
}

/** Byte ranges of a plain WAV's samples to silence: whole 10 ms frames, as the ffmpeg filter mutes them. */
function muteRanges(wav: WavLayout, spans: readonly MuteSpan[]): { from: number; to: number }[] {
  const frameSamples = Math.max(1, Math.round(wav.probe.sampleRate * FRAME_SECONDS));
  const samples = Math.floor(wav.dataBytes / wav.blockAlign);
  return spans
    .filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end) && s.end > s.start)
    .map((s) => {
      // the first frame that starts after (start - one frame), as the filter's between(t, start - frame + ε, …)
      const first = Math.max(0, (Math.floor((s.start * wav.probe.sampleRate - frameSamples) / frameSamples) + 1) * frameSamples);
      const last = Math.min(samples, Math.ceil((s.end * wav.probe.sampleRate) / frameSamples) * frameSamples);
      return { from: wav.dataOffset + first * wav.blockAlign, to: wav.dataOffset + last * wav.blockAlign };
    })
    .filter((r) => r.to > r.from);
}

/**
 * The same silence as the ffmpeg filter (whole 10 ms frames, a frame that starts within one frame before a span
 * muted too), written by copying the file and overwriting the spans' samples: a plain PCM WAV needs no encoder, so no
 * process is spawned for it.
 */
async function muteWavInProcess(inputPath: string, wav: WavLayout, spans: readonly MuteSpan[], output: string): Promise<void> {
  const ranges = muteRanges(wav, spans);
  const silence = SILENCE[wav.probe.codec] ?? 0;
  let position = 0;
  const mute = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const start = position;
      position += chunk.length;
      for (const range of ranges) {
        const from = Math.max(range.from, start);
        const to = Math.min(range.to, position);
        if (to > from) chunk.fill(silence, from - start, to - start);
      }
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(inputPath), mute, createWriteStream(output));
}

/** A plain PCM WAV held in memory: what a probe says of it, and copies of it with spans muted. */
export interface InMemoryWav {
  probe: AudioProbe;
  /** a copy with the spans silenced as muteSpans silences them; the bytes themselves are left as they are */
  muted(spans: readonly MuteSpan[]): Buffer;
}

/**
 * A recording already in memory read as a plain PCM WAV, so a small call needs no file, no second read and no process
 * to be probed and muted; null for any other audio (or a header that looks wrong), which goes to the file path.
 */
export function inMemoryWav(bytes: Buffer): InMemoryWav | null {
  const wav = readWavLayout(bytes.subarray(0, WAV_HEAD_BYTES), bytes.length);
  const silence = wav ? SILENCE[wav.probe.codec] : undefined;
  if (!wav || silence === undefined) return null;
  return {
    probe: wav.probe,
    muted(spans) {
      const copy = Buffer.from(bytes);
      for (const range of muteRanges(wav, spans)) copy.fill(silence, range.from, range.to);
      return copy;
    },
  };
}
