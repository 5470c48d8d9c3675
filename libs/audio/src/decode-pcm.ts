import { spawn } from 'node:child_process';
import { audioToolPath, toolSpawnError } from './audio-tools.js';
import { ffmpegReason } from './run-process.js';
import { acquireProcessSlot } from './process-slots.js';
import { UnreadableAudioError } from './unreadable-audio.error.js';

export interface DecodePcmOptions {
  sampleRate: 8000 | 16000;
  /** channels to decode; ffmpeg downmixes or keeps as asked */
  channels: number;
  /** every block except the last holds a whole number of frames of this many samples per channel */
  frameSamples?: number;
}

/** One decoded block: one Float32Array of samples in [-1, 1) per channel, all of the same length. */
export type PcmBlock = Float32Array[];

const STDERR_KEEP = 4000;

/**
 * Streams a file through ffmpeg as per-channel PCM blocks; memory stays at one pipe buffer, whatever the call's length.
 * Throws UnreadableAudioError when ffmpeg cannot decode the file.
 */
export async function* decodePcm(path: string, opts: DecodePcmOptions): AsyncGenerator<PcmBlock> {
  const { sampleRate, channels } = opts;
  const frame = opts.frameSamples ?? 1;
  const command = audioToolPath('ffmpeg');
  const release = await acquireProcessSlot();
  let ffmpeg: ReturnType<typeof spawnDecoder>;
  try {
    ffmpeg = spawnDecoder(command, path, channels, sampleRate);
  } catch (error) {
    release();
    throw error;
  }
  ffmpeg.on('close', release);
  ffmpeg.on('error', release);
  yield* readBlocks(ffmpeg, command, path, channels, frame);
}

function spawnDecoder(command: string, path: string, channels: number, sampleRate: number) {
  return spawn(
    command,
    ['-nostdin', '-v', 'error', '-threads', '1', '-i', path, '-vn', '-ac', String(channels), '-ar', String(sampleRate), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function* readBlocks(ffmpeg: ReturnType<typeof spawnDecoder>, command: string, path: string, channels: number, frame: number): AsyncGenerator<PcmBlock> {
  let stderr = '';
  ffmpeg.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-STDERR_KEEP);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    ffmpeg.on('error', (error) => reject(toolSpawnError('ffmpeg', command, error)));
    ffmpeg.on('close', resolve);
  });
  // bytes of one frame across all channels; the remainder waits for the next chunk
  const unit = 2 * channels * frame;
  let carry: Buffer = Buffer.alloc(0);
  let finished = false;
  try {
    for await (const chunk of ffmpeg.stdout as AsyncIterable<Buffer>) {
      const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const usable = data.length - (data.length % unit);
      carry = Buffer.from(data.subarray(usable));
      if (usable > 0) yield deinterleave(data, usable, channels);
    }
    const code = await exited;
    finished = true;
    if (code !== 0) throw new UnreadableAudioError(path, ffmpegReason(stderr, `ffmpeg exited with code ${code}`));
    const tail = carry.length - (carry.length % (2 * channels));
    if (tail > 0) yield deinterleave(carry, tail, channels);
  } finally {
    if (!finished) ffmpeg.kill('SIGKILL');
  }
}

function deinterleave(data: Buffer, bytes: number, channels: number): PcmBlock {
  const samples = bytes / (2 * channels);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(samples));
  // aligned Int16 view when possible; Buffer pooling can hand us odd offsets
  const view =
    data.byteOffset % 2 === 0
      ? new Int16Array(data.buffer, data.byteOffset, bytes / 2)
      : new Int16Array(Uint8Array.prototype.slice.call(data, 0, bytes).buffer);
  if (channels === 2) {
    const l = out[0];
    const r = out[1];
    for (let i = 0, j = 0; i < samples; i++, j += 2) {
      l[i] = view[j] / 32768;
      r[i] = view[j + 1] / 32768;
    }
  } else {
    for (let i = 0; i < samples; i++) for (let c = 0; c < channels; c++) out[c][i] = view[i * channels + c] / 32768;
  }
  return out;
}
