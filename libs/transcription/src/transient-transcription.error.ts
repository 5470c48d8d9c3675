/** A failure worth retrying later (429, 5xx, timeouts) after the in-process retries were used up. */
export class TransientTranscriptionError extends Error {
  readonly permanent = false;
  constructor(
    message: string,
    readonly status?: number,
    /** seconds the provider asked us to wait, when it said */
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientTranscriptionError';
  }
}
