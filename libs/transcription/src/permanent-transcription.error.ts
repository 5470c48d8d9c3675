/** What made a transcription fail for good; the worker marks the call failed instead of retrying. */
export type PermanentFailureCode =
  | 'unsupported-audio'
  | 'provider-rejected'
  | 'authentication'
  | 'upload-too-large';

/** A failure that retrying cannot fix (corrupt audio, 400/401/403 from the provider). Message is user-readable. */
export class PermanentTranscriptionError extends Error {
  readonly permanent = true;
  constructor(
    readonly code: PermanentFailureCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentTranscriptionError';
  }
}
