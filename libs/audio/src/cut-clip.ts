import { spawn } from 'node:child_process';
import { audioToolPath, toolSpawnError } from './audio-tools.js';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ffmpegReason } from './run-process.js';
import { acquireProcessSlot } from './process-slots.js';
import { UnreadableAudioError } from './unreadable-audio.error.js';

export type ClipFormat = 'mp3' | 'opus';

export interface ClipSpan {
  /** evidence start and end, seconds */
  start: number;
  end: number;
  /** context kept before and after the evidence; default 3 s each */
  padBefore?: number;
  padAfter?: number;
  /** the call's duration: the clip never runs past it */
  duration: number;
}

export interface ClipResult {
  /** the clip's actual span in the call, after padding and clamping */
  start: number;
  end: number;
  format: ClipFormat;
  mimeType: string;
}

const ENCODERS: Record<ClipFormat, { args: string[]; mime: string }> = {
  // mono, 8 kHz telephone band: a 16 s clip is ~40 KB as MP3 and ~25 KB as Opus
  mp3: { args: ['-ac', '1', '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '24k', '-f', 'mp3'], mime: 'audio/mpeg' },
  opus: { args: ['-ac', '1', '-c:a', 'libopus', '-b:a', '12k', '-application', 'voip', '-f', 'ogg'], mime: 'audio/ogg' },
};

/** The padded span of a clip, clamped to [0, duration]. */
export function clipSpan(span: ClipSpan): { start: number; end: number } {
  const start = Math.max(0, Math.min(span.start, span.end) - (span.padBefore ?? 3));
  const end = Math.min(span.duration, Math.max(span.start, span.end) + (span.padAfter ?? 3));
  if (!(end > start)) throw new RangeError(`clip span [${span.start}, ${span.end}] lies outside the call (0–${span.duration} s)`);
  return { start, end };
}

/** Cuts a small encoded clip around a finding's evidence into a file path or a writable stream. */
export async function cutClip(inputPath: string, span: ClipSpan, output: string | Writable, format: ClipFormat): Promise<ClipResult> {
  const { start, end } = clipSpan(span);
  const toStream = typeof output !== 'string';
  const args = [
    '-nostdin', '-v', 'error', '-threads', '1',
    '-ss', start.toFixed(3), '-t', (end - start).toFixed(3), '-i', inputPath,
    '-vn', ...ENCODERS[format].args,
    ...(toStream ? ['pipe:1'] : ['-y', output]),
  ];
  const command = audioToolPath('ffmpeg');
  const result = { start, end, format, mimeType: ENCODERS[format].mime };
  // a clip streamed to a download runs at the reader's pace: it must not hold a slot other work waits for
  if (toStream) return cut(command, args, inputPath, output, result);
  const release = await acquireProcessSlot();
  try {
    return await cut(command, args, inputPath, output, result);
  } finally {
    release();
  }
}

async function cut(command: string, args: string[], inputPath: string, output: string | Writable, result: ClipResult): Promise<ClipResult> {
  const toStream = typeof output !== 'string';
  const ffmpeg = spawn(command, args, { stdio: ['ignore', toStream ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    ffmpeg.on('error', (error) => reject(toolSpawnError('ffmpeg', command, error)));
    ffmpeg.on('close', resolve);
  });
  if (toStream && ffmpeg.stdout) await pipeline(ffmpeg.stdout, output, { end: true });
  const code = await exited;
  if (code !== 0) throw new UnreadableAudioError(inputPath, ffmpegReason(stderr, `ffmpeg exited with code ${code}`));
  return result;
}
