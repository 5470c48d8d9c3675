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

  async run<T>(fn: (attempt: number) => Promise<T>): Promise<T> {
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (err) {
        const classified = classifyProviderError(err);
        if (classified instanceof PermanentTranscriptionError || attempt >= this.options.maxRetries) throw classified;
        const delayMs = this.delayFor(attempt, classified.retryAfterSeconds);
        this.options.onRetry?.({ attempt: attempt + 1, delayMs, error: classified });
        await sleep(delayMs);
      }
    }
  }

  delayFor(attempt: number, retryAfterSeconds?: number): number {
    if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, this.options.maxDelayMs);
    const exp = Math.min(this.options.baseDelayMs * 2 ** attempt, this.options.maxDelayMs);
    return Math.round(exp * (0.5 + (this.options.random ?? Math.random)() * 0.5));
  }
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
