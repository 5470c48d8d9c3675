import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { PermanentTranscriptionError } from './permanent-transcription.error.js';
import { TransientTranscriptionError } from './transient-transcription.error.js';

export interface RetryOptions {
  /** retries after the first attempt */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** injectable for tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: TransientTranscriptionError }) => void;
}

const PERMANENT_STATUS = new Set([400, 401, 403, 404, 413, 415, 422]);

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The one place transcription requests are retried: 429/5xx/timeouts back off exponentially with jitter, honouring
 * Retry-After / retry-after-ms; 4xx provider rejections become PermanentTranscriptionError at once.
 */
export class RetryPolicy {
  constructor(private readonly options: RetryOptions) {}

  /** An aborted signal (the call failed elsewhere) ends the retries, before an attempt or during the wait, with its reason. */
  async run<T>(fn: (attempt: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      try {
        return await fn(attempt);
      } catch (err) {
        signal?.throwIfAborted();
        const classified = classifyProviderError(err);
        if (classified instanceof PermanentTranscriptionError || attempt >= this.options.maxRetries) throw classified;
        const delayMs = this.delayFor(attempt, classified.retryAfterSeconds);
        this.options.onRetry?.({ attempt: attempt + 1, delayMs, error: classified });
        await abortable(sleep(delayMs), signal);
      }
    }
  }

  delayFor(attempt: number, retryAfterSeconds?: number): number {
    if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, this.options.maxDelayMs);
    const exp = Math.min(this.options.baseDelayMs * 2 ** attempt, this.options.maxDelayMs);
    return Math.round(exp * (0.5 + (this.options.random ?? Math.random)() * 0.5));
  }
}

/** the promise, or the signal's reason as soon as it aborts */
function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Maps anything a request threw to a permanent or transient error carrying the provider's own message. */
export function classifyProviderError(err: unknown): PermanentTranscriptionError | TransientTranscriptionError {
  if (err instanceof PermanentTranscriptionError || err instanceof TransientTranscriptionError) return err;
  if (err instanceof APIConnectionTimeoutError) {
    return new TransientTranscriptionError(`transcription request timed out: ${err.message}`, undefined, undefined, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new TransientTranscriptionError(`transcription endpoint unreachable: ${err.message}`, undefined, undefined, { cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const message = providerMessage(err);
    if (PERMANENT_STATUS.has(status)) {
      const code = status === 401 || status === 403 ? 'authentication' : status === 413 ? 'upload-too-large' : 'provider-rejected';
      return new PermanentTranscriptionError(code, `transcription provider rejected the request (${status}): ${message}`, status, { cause: err });
    }
    return new TransientTranscriptionError(
      `transcription provider failed (${status}): ${message}`,
      status,
      parseRetryAfter(err.headers),
      { cause: err },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TransientTranscriptionError(`transcription request failed: ${message}`, undefined, undefined, { cause: err });
}

/** Why one transcription request failed, as a metrics label: a small fixed set, never the provider's message. */
export type TranscriptionRequestErrorClass = 'rate_limited' | 'server_error' | 'timeout' | 'connection' | 'authentication' | 'rejected' | 'too_large' | 'other';

/** The class of a request's failure (what classifyProviderError made of it, or the raw error). */
export function requestErrorClass(err: unknown): TranscriptionRequestErrorClass {
  const classified = classifyProviderError(err);
  if (classified instanceof PermanentTranscriptionError) {
    if (classified.code === 'authentication') return 'authentication';
    if (classified.code === 'upload-too-large') return 'too_large';
    return classified.code === 'provider-rejected' ? 'rejected' : 'other';
  }
  const cause = classified.cause;
  if (cause instanceof APIConnectionTimeoutError) return 'timeout';
  if (cause instanceof APIConnectionError) return 'connection';
  if (classified.status === 429) return 'rate_limited';
  if (classified.status !== undefined && classified.status >= 500) return 'server_error';
  return 'other';
}

function providerMessage(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  return err.message;
}

/** Seconds to wait from retry-after-ms, Retry-After (seconds or HTTP date); undefined when absent or unparseable. */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms) / 1000;
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
