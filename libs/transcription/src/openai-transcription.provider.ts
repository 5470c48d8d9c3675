import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toStreamingFile } from 'openai';
import { ConcurrencyLimit, type NormalisedTranscript, type Speaker, type TranscriptSegment, type TranscriptUsage } from '#libs/domain';
import { planChunks } from './chunk-plan.js';
import { FfmpegAudio, uploadCodecInfo, type AudioInfo, type UploadCodec } from './ffmpeg-audio.js';
import { mapTranscriptionResponse, type PartResult, type PartSegment, type ResponseFormat } from './openai-response.mapper.js';
import { PermanentTranscriptionError } from './permanent-transcription.error.js';
import { RetryPolicy, type RetryOptions, type TranscriptionRequestErrorClass, requestErrorClass } from './retry-policy.js';
import { mapDiarizedRoles } from './speaker-role.mapper.js';
import type { TranscriptionInput, TranscriptionProvider } from './transcription.provider.js';

export interface OpenAiTranscriptionOptions {
  /** any OpenAI-compatible base URL, e.g. https://api.openai.com/v1 or http://whisper.local:8000/v1 */
  baseURL?: string;
  apiKey: string;
  /** whisper-1, gpt-4o-transcribe, gpt-4o-transcribe-diarize, or a self-hosted server's model name */
  model: string;
  /** 'auto' picks from the model name: *diarize* → diarized_json, gpt-4o(-mini)-transcribe → json, else verbose_json */
  responseFormat?: 'auto' | ResponseFormat;
  /** per HTTP request */
  timeoutMs?: number;
  /** retries per request on 429/5xx/timeouts (the SDK's own retry is off) */
  maxRetries?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** concurrent requests across all calls this provider instance handles (one instance per worker) */
  concurrency?: number;
  /** the endpoint's upload limit; bigger audio is split on silence (OpenAI: 25 MB) */
  uploadLimitBytes?: number;
  /** some models also cap duration per request (gpt-4o-transcribe: ~1500 s) */
  maxChunkSeconds?: number;
  uploadCodec?: UploadCodec;
  /** ask verbose_json servers for word timestamps too (adds latency on OpenAI) */
  wordTimestamps?: boolean;
  /** ffmpeg/ffprobe processes at once across all calls (CPU-bound; more starves the event loop) */
  decodeConcurrency?: number;
  /** temp folder for decoded channels and parts */
  workDir?: string;
  ffmpeg?: FfmpegAudio;
  /** told of every HTTP request (each retry is one) when it ends: how long it took and, when it failed, why */
  onRequest?: (request: TranscriptionRequestReport) => void;
  /** test seams */
  sleep?: RetryOptions['sleep'];
  onRetry?: RetryOptions['onRetry'];
  fetch?: typeof fetch;
}

/** One request to the provider, as onRequest hears of it. */
export interface TranscriptionRequestReport {
  model: string;
  seconds: number;
  /** null when the provider answered 2xx */
  error: TranscriptionRequestErrorClass | null;
}

interface Part {
  file: string;
  offset: number;
  duration: number;
}

const MB = 1024 * 1024;
/** Known speaker references must be 2–10 s long (OpenAI diarization API). */
const REF_MIN_S = 2;
const REF_MAX_S = 10;

/** Transcribes through any OpenAI-compatible /audio/transcriptions endpoint; stereo → exact roles, mono → diarization or unknown. */
export class OpenAiTranscriptionProvider implements TranscriptionProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly limiter: ConcurrencyLimit;
  private readonly decoders: ConcurrencyLimit;
  private readonly retry: RetryPolicy;
  private readonly ffmpeg: FfmpegAudio;
  private readonly format: ResponseFormat;
  private readonly codec: UploadCodec;
  private readonly limitBytes: number;

  constructor(private readonly options: OpenAiTranscriptionOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs ?? 120_000,
      // Retries happen once, in RetryPolicy, where Retry-After is honoured and errors are classified.
      maxRetries: 0,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.limiter = new ConcurrencyLimit(options.concurrency ?? 4);
    this.decoders = new ConcurrencyLimit(options.decodeConcurrency ?? 2);
    this.retry = new RetryPolicy({
      maxRetries: options.maxRetries ?? 4,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: options.retryMaxDelayMs ?? 60_000,
      sleep: options.sleep,
      onRetry: options.onRetry,
    });
    this.ffmpeg = options.ffmpeg ?? new FfmpegAudio();
    this.format = resolveFormat(options.model, options.responseFormat ?? 'auto');
    this.codec = options.uploadCodec ?? 'flac';
    this.limitBytes = options.uploadLimitBytes ?? 25 * MB;
  }

  get responseFormat(): ResponseFormat {
    return this.format;
  }

  /** one HTTP request, reported to onRequest with its time and, when it threw, its error class */
  private async timed<T>(request: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const started = performance.now();
    const report = (error: TranscriptionRequestErrorClass | null) =>
      this.options.onRequest?.({ model: this.options.model, seconds: (performance.now() - started) / 1000, error });
    try {
      const answer = await request();
      report(null);
      return answer;
    } catch (err) {
      // a request this provider cancelled (the call failed elsewhere) says nothing about the provider
      if (!signal.aborted) report(requestErrorClass(err));
      throw err;
    }
  }

  async transcribe(input: TranscriptionInput): Promise<NormalisedTranscript> {
    const info = await this.decoders.run(() => this.ffmpeg.probe(input.audioPath));
    const dir = await mkdtemp(join(this.options.workDir ?? tmpdir(), 'earshot-tx-'));
    // the first part to fail for good stops the others (retries and requests in flight) before the folder goes
    const stop = new AbortController();
    try {
      // a mono file declared stereo is transcribed as mono (roles by diarization); the call view flags the declaration
      if (input.channelLayout === 'stereo' && info.channels >= 2) return await this.transcribeStereo(input, info, dir, stop);
      return await this.transcribeMono(input, info, dir, stop);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async transcribeStereo(input: TranscriptionInput, info: AudioInfo, dir: string, stop: AbortController): Promise<NormalisedTranscript> {
    const agentIdx = input.agentChannel === 'left' ? 0 : 1;
    const { ext } = uploadCodecInfo(this.codec);
    const wholes = [join(dir, `ch0.${ext}`), join(dir, `ch1.${ext}`)] as const;
    // One decode for both channels: process spawns, not encoding, dominate short calls on a busy worker.
    await this.decoders.run(() => this.ffmpeg.splitChannels(input.audioPath, wholes, this.codec));
    const channels = await settleAll(
      stop,
      ([0, 1] as const).map(async (ch) => {
        const parts = await this.prepareParts(input.audioPath, info, dir, ch, wholes[ch]);
        const results = await settleAll(stop, parts.map((p) => this.transcribePart(p, stop.signal, input.language, 'no-diarization')));
        const speaker: Speaker = ch === agentIdx ? 'agent' : 'customer';
        return { results, segments: stitch(parts, results).map((s) => toSegment(s, speaker)) };
      }),
    );
    const all = channels.flatMap((c) => c.results);
    return {
      provider: this.name,
      model: this.options.model,
      language: input.language ?? firstLanguage(all),
      rolesSource: 'channel',
      rolesConfidence: 1,
      segments: mergeByTime(channels.map((c) => c.segments)),
      usage: sumUsage(all, info.durationSeconds * 2),
    };
  }

  private async transcribeMono(input: TranscriptionInput, info: AudioInfo, dir: string, stop: AbortController): Promise<NormalisedTranscript> {
    const parts = await this.prepareParts(input.audioPath, info, dir, undefined);
    const base = { provider: this.name, model: this.options.model };
    if (this.format !== 'diarized_json') {
      const results = await settleAll(stop, parts.map((p) => this.transcribePart(p, stop.signal, input.language)));
      return {
        ...base,
        language: input.language ?? firstLanguage(results),
        rolesSource: 'none',
        segments: stitch(parts, results).map((s) => toSegment(s, 'unknown')),
        usage: sumUsage(results, info.durationSeconds),
      };
    }
    // Labels are per request, so the first part decides who the agent is and later parts are sent voice references.
    const first = await this.transcribePart(parts[0], stop.signal, input.language);
    const firstSegs = stitch([parts[0]], [first]);
    const mapping = mapDiarizedRoles(firstSegs.map((s) => ({ label: s.label ?? '', start: s.start, text: s.text })), input.roleHints);
    let references: { names: string[]; refs: string[] } | undefined;
    if (parts.length > 1 && mapping.agentLabel) references = await this.speakerReferences(parts[0], firstSegs, mapping.roles, dir);
    const rest = await settleAll(stop, parts.slice(1).map((p) => this.transcribePart(p, stop.signal, input.language, references)));
    const results = [first, ...rest];
    const segments: TranscriptSegment[] = [];
    stitch(parts, results).forEach((s, i) => {
      const fromFirst = i < firstSegs.length;
      let speaker: Speaker = 'unknown';
      if (fromFirst) speaker = mapping.roles[s.label ?? ''] ?? 'unknown';
      else if (references && (s.label === 'agent' || s.label === 'customer')) speaker = s.label;
      segments.push(toSegment(s, speaker));
    });
    const mapped = mapping.agentLabel !== undefined;
    return {
      ...base,
      language: input.language ?? firstLanguage(results),
      rolesSource: mapped ? 'diarization' : 'none',
      ...(mapped ? { rolesConfidence: mapping.confidence } : {}),
      segments,
      usage: sumUsage(results, info.durationSeconds),
    };
  }

  /**
   * Encodes one channel (or the downmix) for upload, unless `alreadyEncoded` holds it, and splits it on silence when it
   * exceeds the upload limit.
   */
  private async prepareParts(path: string, info: AudioInfo, dir: string, channel: 0 | 1 | undefined, alreadyEncoded?: string): Promise<Part[]> {
    const { ext } = uploadCodecInfo(this.codec);
    const tag = channel === undefined ? 'mono' : `ch${channel}`;
    const whole = alreadyEncoded ?? join(dir, `${tag}.${ext}`);
    if (!alreadyEncoded) await this.decoders.run(() => this.ffmpeg.extract(path, whole, { channel, codec: this.codec }));
    const size = (await stat(whole)).size;
    const maxSec = this.options.maxChunkSeconds ?? Infinity;
    if (size <= this.limitBytes && info.durationSeconds <= maxSec) return [{ file: whole, offset: 0, duration: info.durationSeconds }];
    const silences = await this.decoders.run(() => this.ffmpeg.silences(path, { channel }));
    const plan = planChunks({
      durationSeconds: info.durationSeconds,
      bytesPerSecond: size / info.durationSeconds,
      limitBytes: this.limitBytes,
      maxChunkSeconds: this.options.maxChunkSeconds,
      silences,
    });
    await rm(whole, { force: true });
    const parts: Part[] = [];
    const encoded = await Promise.all(
      plan.map((c, i) =>
        this.decoders.run(async () => {
          const file = join(dir, `${tag}-${String(i).padStart(4, '0')}.${ext}`);
          await this.ffmpeg.extract(path, file, { channel, start: c.start, end: c.end, codec: this.codec });
          return { file, offset: c.start, duration: c.end - c.start, size: (await stat(file)).size };
        }),
      ),
    );
    for (const p of encoded) {
      if (p.size > this.limitBytes) {
        throw new PermanentTranscriptionError(
          'upload-too-large',
          `a ${p.duration.toFixed(1)} s part encodes to ${p.size} bytes, over the ${this.limitBytes}-byte upload limit; lower maxChunkSeconds`,
        );
      }
      parts.push({ file: p.file, offset: p.offset, duration: p.duration });
    }
    return parts;
  }

  private async transcribePart(
    part: Part,
    signal: AbortSignal,
    language: string | undefined,
    speakers?: { names: string[]; refs: string[] } | 'no-diarization',
  ): Promise<PartResult> {
    const { ext, mime } = uploadCodecInfo(this.codec);
    const format = this.format;
    const body = await this.limiter.run(() =>
      this.retry.run(async () => {
        const params: OpenAI.Audio.TranscriptionCreateParamsNonStreaming = {
          // A fresh stream per attempt: a streamed upload cannot be replayed.
          file: toStreamingFile(createReadStream(part.file), `part.${ext}`, { type: mime }),
          model: this.options.model,
          response_format: format,
          ...(language ? { language } : {}),
        };
        if (format === 'verbose_json') {
          params.timestamp_granularities = this.options.wordTimestamps === false ? ['segment'] : ['word', 'segment'];
        }
        if (format === 'diarized_json') {
          params.chunking_strategy = 'auto';
          if (speakers && speakers !== 'no-diarization') {
            params.known_speaker_names = speakers.names;
            params.known_speaker_references = speakers.refs;
          }
        }
        return this.timed(() => this.client.audio.transcriptions.create(params, { signal }) as Promise<unknown>, signal);
      }, signal),
    );
    try {
      return mapTranscriptionResponse(body, part.duration);
    } catch (err) {
      throw new PermanentTranscriptionError('provider-rejected', `unusable transcription response: ${(err as Error).message}`, undefined, {
        cause: err,
      });
    }
  }

  /** 2–10 s voice samples of each mapped speaker from the first part, as data URLs, for later parts' diarization. */
  private async speakerReferences(
    part: Part,
    segs: PartSegment[],
    roles: Record<string, Speaker>,
    dir: string,
  ): Promise<{ names: string[]; refs: string[] } | undefined> {
    const names: string[] = [];
    const refs: string[] = [];
    for (const role of ['agent', 'customer'] as const) {
      const candidates = segs.filter((s) => roles[s.label ?? ''] === role && s.end - s.start >= REF_MIN_S);
      const best = candidates.sort((a, b) => b.end - b.start - (a.end - a.start))[0];
      if (!best) return undefined;
      const file = join(dir, `ref-${role}.wav`);
      const start = best.start - part.offset;
      await this.decoders.run(() => this.ffmpeg.extract(part.file, file, { start, end: start + Math.min(REF_MAX_S, best.end - best.start), codec: 'wav' }));
      names.push(role);
      refs.push(`data:audio/wav;base64,${(await readFile(file)).toString('base64')}`);
    }
    return { names, refs };
  }
}

function resolveFormat(model: string, requested: 'auto' | ResponseFormat): ResponseFormat {
  if (requested !== 'auto') return requested;
  if (/diariz/i.test(model)) return 'diarized_json';
  if (/^gpt-(4o-(mini-)?)?transcribe/i.test(model)) return 'json';
  return 'verbose_json';
}

/** Shifts each part's segments by the part's offset; times are clamped to the part so parts never overlap. */
function stitch(parts: Part[], results: PartResult[]): PartSegment[] {
  const out: PartSegment[] = [];
  parts.forEach((part, i) => {
    const clamp = (t: number): number => round3(part.offset + Math.min(Math.max(t, 0), part.duration));
    for (const s of results[i].segments) {
      const seg: PartSegment = { ...s, start: clamp(s.start), end: clamp(s.end) };
      if (s.words) seg.words = s.words.map((w) => ({ ...w, start: clamp(w.start), end: clamp(w.end) }));
      out.push(seg);
    }
  });
  return out;
}

function toSegment(s: PartSegment, speaker: Speaker): TranscriptSegment {
  const seg: TranscriptSegment = { speaker, start: s.start, end: s.end, text: s.text };
  if (s.words?.length) seg.words = s.words;
  return seg;
}

/** Merges already-sorted per-channel segment lists by start time (agent first on ties, then stable). */
export function mergeByTime(lists: TranscriptSegment[][]): TranscriptSegment[] {
  return lists
    .flatMap((l, li) => l.map((s, i) => ({ s, li, i })))
    .sort((a, b) => a.s.start - b.s.start || a.s.end - b.s.end || (a.s.speaker === 'agent' ? -1 : b.s.speaker === 'agent' ? 1 : 0) || a.li - b.li || a.i - b.i)
    .map((x) => x.s);
}

function sumUsage(results: PartResult[], sentSeconds: number): TranscriptUsage {
  const u: TranscriptUsage = { requests: results.length };
  let audio = 0;
  let haveAudio = true;
  for (const r of results) {
    if (r.usage.inputTokens !== undefined) u.inputTokens = (u.inputTokens ?? 0) + r.usage.inputTokens;
    if (r.usage.outputTokens !== undefined) u.outputTokens = (u.outputTokens ?? 0) + r.usage.outputTokens;
    if (r.usage.audioSeconds === undefined) haveAudio = false;
    else audio += r.usage.audioSeconds;
  }
  // Providers billing by minute report seconds; otherwise record what was sent, which is what a minute bill counts.
  u.audioSeconds = round3(haveAudio ? audio : sentSeconds);
  return u;
}

function firstLanguage(results: PartResult[]): string | undefined {
  return results.find((r) => r.language)?.language;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Every task's result; the first failure aborts `stop` (so the others end early) and is what this throws once all
 * have settled: nothing of the call is still running when its temp folder is removed.
 */
async function settleAll<T>(stop: AbortController, tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks.map((task) => task.catch((error: unknown) => {
    if (!stop.signal.aborted) stop.abort(error);
    throw error;
  })));
  if (stop.signal.aborted) throw stop.signal.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}
