import { open } from 'node:fs/promises';
import { ffmpegReason, runTool } from './run-process.js';
import { UnreadableAudioError } from './unreadable-audio.error.js';
import { readWavHeader } from './wav-header.js';

/** Enough of a WAV file for the chunks before `data` in what dialers and recorders write. */
export const WAV_HEAD_BYTES = 4096;

export interface AudioProbe {
  /** container, as ffprobe names it (wav, mp3, ogg, ...) */
  format: string;
  /** codec of the first audio stream (pcm_s16le, pcm_mulaw, mp3, opus, ...) */
  codec: string;
  channels: number;
  sampleRate: number;
  durationSeconds: number;
  /** bits per second of the audio stream (or the file), when ffprobe knows it */
  bitRate?: number;
}

interface FfprobeJson {
  streams?: { codec_type?: string; codec_name?: string; channels?: number; sample_rate?: string; duration?: string; bit_rate?: string }[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

/**
 * Container, codec, channels, rate and duration of an audio file; throws UnreadableAudioError when it cannot be read.
 * A plain WAV is read from its header in this process; anything else, or a header that looks wrong, goes to ffprobe.
 */
export async function probeAudio(path: string): Promise<AudioProbe> {
  return (await probeWavInProcess(path)) ?? probeWithFfprobe(path);
}

async function probeWavInProcess(path: string): Promise<AudioProbe | null> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return null;
  try {
    const head = Buffer.alloc(WAV_HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, WAV_HEAD_BYTES, 0);
    return readWavHeader(head.subarray(0, bytesRead), (await file.stat()).size);
  } finally {
    await file.close();
  }
}

/** What ffprobe says of the file (every format it reads). */
export async function probeWithFfprobe(path: string): Promise<AudioProbe> {
  const result = await runTool('ffprobe', [
    '-v', 'error',
    '-select_streams', 'a:0',
    '-show_entries', 'stream=codec_type,codec_name,channels,sample_rate,duration,bit_rate:format=format_name,duration,bit_rate',
    '-of', 'json',
    path,
  ]);
  if (result.code !== 0) {
    throw new UnreadableAudioError(path, ffmpegReason(result.stderr, `ffprobe exited with code ${result.code}`));
  }
  let parsed: FfprobeJson;
  try {
    parsed = JSON.parse(result.stdout.toString('utf8')) as FfprobeJson;
  } catch (cause) {
    throw new UnreadableAudioError(path, 'ffprobe returned no readable description', { cause });
  }
  const stream = parsed.streams?.find((s) => s.codec_type === 'audio');
  if (!stream || !stream.codec_name) throw new UnreadableAudioError(path, 'the file has no audio stream');
  const channels = stream.channels ?? 0;
  const sampleRate = Number(stream.sample_rate);
  const durationSeconds = Number(stream.duration ?? parsed.format?.duration);
  if (!(channels > 0) || !(sampleRate > 0)) {
    throw new UnreadableAudioError(path, `the audio stream (${stream.codec_name}) has no channels or sample rate`);
  }
  if (!(durationSeconds >= 0)) throw new UnreadableAudioError(path, 'the audio has no readable duration');
  const bitRate = Number(stream.bit_rate ?? parsed.format?.bit_rate);
  return {
    format: (parsed.format?.format_name ?? 'unknown').split(',')[0],
    codec: stream.codec_name,
    channels,
    sampleRate,
    durationSeconds,
    ...(bitRate > 0 ? { bitRate } : {}),
  };
}
