import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { type AudioProbe, type AudioToolName, UnreadableAudioError, acquireProcessSlot, audioToolPath, probeAudio, toolSpawnError } from '#libs/audio';
import { sniffAudioFormat, sniffWavCodec, type AudioFormat } from './audio-format.js';
import { PermanentTranscriptionError } from './permanent-transcription.error.js';

export type UploadCodec = 'flac' | 'mp3' | 'wav';

export interface AudioInfo {
  format: AudioFormat;
  codec: string;
  channels: number;
  sampleRate: number;
  durationSeconds: number;
  sizeBytes: number;
}

export interface TimeRange {
  start: number;
  end: number;
}

export interface ExtractOptions {
  /** 0 = left, 1 = right; omitted = downmix everything to mono */
  channel?: 0 | 1;
  start?: number;
  end?: number;
  codec: UploadCodec;
}

const UPLOAD_CODECS: Record<UploadCodec, { args: string[]; ext: string; mime: string }> = {
  flac: { args: ['-c:a', 'flac'], ext: 'flac', mime: 'audio/flac' },
  mp3: { args: ['-c:a', 'libmp3lame', '-b:a', '48k'], ext: 'mp3', mime: 'audio/mpeg' },
  wav: { args: ['-c:a', 'pcm_s16le'], ext: 'wav', mime: 'audio/wav' },
};
const ACCEPTED_WAV = new Set(['pcm', 'float', 'alaw', 'mulaw', 'extensible']);
const STDERR_KEEP = 4000;

export function uploadCodecInfo(codec: UploadCodec): { ext: string; mime: string } {
  const { ext, mime } = UPLOAD_CODECS[codec];
  return { ext, mime };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderrTail: string;
}

/** ffmpeg (the binary #libs/audio resolved, unless given here) behind one class: probe (#libs/audio's), channel/segment extraction, silence detection. */
export class FfmpegAudio {
  constructor(private readonly options: { ffmpegPath?: string } = {}) {}

  /** Probes the real format from the bytes; an unrecognised or undecodable file throws a permanent 'unsupported-audio' error. */
  async probe(path: string): Promise<AudioInfo> {
    const head = Buffer.alloc(64);
    const fh = await open(path, 'r');
    let read: number;
    let sizeBytes: number;
    try {
      read = (await fh.read(head, 0, 64, 0)).bytesRead;
      sizeBytes = (await fh.stat()).size;
    } finally {
      await fh.close();
    }
    const bytes = head.subarray(0, read);
    const format = sniffAudioFormat(bytes);
    if (!format) {
      throw new PermanentTranscriptionError(
        'unsupported-audio',
        `not a supported audio file (expected WAV, MP3, OGG/Opus, FLAC or M4A; first bytes ${bytes.subarray(0, 8).toString('hex') || 'none: empty file'})`,
      );
    }
    if (format === 'wav') {
      const wavCodec = sniffWavCodec(bytes);
      if (wavCodec && !ACCEPTED_WAV.has(wavCodec)) {
        throw new PermanentTranscriptionError('unsupported-audio', `unsupported WAV encoding '${wavCodec}' (expected PCM, mu-law or A-law)`);
      }
    }
    let probe: AudioProbe;
    try {
      probe = await probeAudio(path);
    } catch (error) {
      if (error instanceof UnreadableAudioError) throw new PermanentTranscriptionError('unsupported-audio', `cannot decode ${format.toUpperCase()} audio: ${error.reason}`);
      throw error;
    }
    if (!(probe.durationSeconds > 0)) {
      throw new PermanentTranscriptionError('unsupported-audio', `cannot decode ${format.toUpperCase()} audio: no duration (truncated or empty file)`);
    }
    return { format, codec: probe.codec, channels: probe.channels, sampleRate: probe.sampleRate, durationSeconds: probe.durationSeconds, sizeBytes };
  }

  /** Decodes (a range of) one channel or a mono downmix to an upload file; decoding errors are permanent. */
  async extract(input: string, output: string, opts: ExtractOptions): Promise<void> {
    const args = ['-hide_banner', '-nostdin', '-v', 'error', '-y'];
    if (opts.start !== undefined && opts.start > 0) args.push('-ss', opts.start.toFixed(3));
    if (opts.end !== undefined) args.push('-to', opts.end.toFixed(3));
    args.push('-i', input, '-vn', '-map', '0:a:0');
    if (opts.channel !== undefined) args.push('-af', `pan=mono|c0=c${opts.channel}`);
    else args.push('-ac', '1');
    args.push(...UPLOAD_CODECS[opts.codec].args, output);
    const res = await this.run(this.ffmpeg(), args);
    if (res.code !== 0) {
      throw new PermanentTranscriptionError('unsupported-audio', `cannot decode audio: ${lastLine(res.stderrTail) || `ffmpeg exited with ${res.code}`}`);
    }
  }

  /** Decodes the left and right channels of a whole recording to two mono upload files in one ffmpeg pass. */
  async splitChannels(input: string, outputs: readonly [string, string], codec: UploadCodec): Promise<void> {
    const encode = UPLOAD_CODECS[codec].args;
    const res = await this.run(this.ffmpeg(), [
      '-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', input, '-vn',
      '-filter_complex', '[0:a:0]asplit=2[a][b];[a]pan=mono|c0=c0[l];[b]pan=mono|c0=c1[r]',
      '-map', '[l]', ...encode, outputs[0],
      '-map', '[r]', ...encode, outputs[1],
    ]);
    if (res.code !== 0) {
      throw new PermanentTranscriptionError('unsupported-audio', `cannot decode audio: ${lastLine(res.stderrTail) || `ffmpeg exited with ${res.code}`}`);
    }
  }

  /** Silent stretches of one channel (or the downmix), streamed from ffmpeg's silencedetect output. */
  async silences(input: string, opts: { channel?: 0 | 1; noiseDb?: number; minSeconds?: number } = {}): Promise<TimeRange[]> {
    const filter = `${opts.channel !== undefined ? `pan=mono|c0=c${opts.channel},` : ''}silencedetect=n=${opts.noiseDb ?? -35}dB:d=${opts.minSeconds ?? 0.4}`;
    const out: TimeRange[] = [];
    let open: number | null = null;
    const res = await this.run(
      this.ffmpeg(),
      ['-hide_banner', '-nostdin', '-nostats', '-i', input, '-vn', '-af', filter, '-f', 'null', '-'],
      (line) => {
        const s = /silence_start: (-?[\d.]+)/.exec(line);
        if (s) open = Math.max(0, Number(s[1]));
        const e = /silence_end: ([\d.]+)/.exec(line);
        if (e && open !== null) {
          out.push({ start: open, end: Number(e[1]) });
          open = null;
        }
      },
    );
    if (res.code !== 0) {
      throw new PermanentTranscriptionError('unsupported-audio', `cannot decode audio: ${lastLine(res.stderrTail) || `ffmpeg exited with ${res.code}`}`);
    }
    return out;
  }

  private ffmpeg(): { name: AudioToolName; path: string } {
    return { name: 'ffmpeg', path: this.options.ffmpegPath ?? audioToolPath('ffmpeg') };
  }

  /** Runs the tool to completion once a process slot is free (see acquireProcessSlot). */
  private async run(tool: { name: AudioToolName; path: string }, args: string[], onStderrLine?: (line: string) => void): Promise<RunResult> {
    const release = await acquireProcessSlot();
    try {
      return await this.runToCompletion(tool, args, onStderrLine);
    } finally {
      release();
    }
  }

  private runToCompletion(tool: { name: AudioToolName; path: string }, args: string[], onStderrLine?: (line: string) => void): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const cmd = tool.path;
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderrTail = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
      });
      const rl = createInterface({ input: child.stderr });
      rl.on('line', (line) => {
        onStderrLine?.(line);
        stderrTail = (stderrTail + line + '\n').slice(-STDERR_KEEP);
      });
      child.on('error', (err) => reject(toolSpawnError(tool.name, cmd, err)));
      // 'close' (not 'exit') so the readline has seen every stderr line.
      child.on('close', (code) => resolve({ code, stdout, stderrTail }));
    });
  }
}

function lastLine(s: string): string {
  return readable(s.split('\n').filter((l) => l.trim() !== '').pop() ?? '');
}

/** Drops ffmpeg's `[wav @ 0x55d…]` context prefix: a memory address means nothing to the person reading the reason. */
function readable(line: string): string {
  return line.replace(/^\s*\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim();
}
