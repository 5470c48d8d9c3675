/** Audio that ffmpeg cannot read (corrupt, truncated, not audio, unsupported codec); retrying cannot fix it. */
export class UnreadableAudioError extends Error {
  override readonly name = 'UnreadableAudioError';
  readonly permanent = true;

  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Unreadable audio: ${reason}`, options);
  }
}
