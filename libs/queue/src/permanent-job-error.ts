/**
 * A failure that retrying cannot fix (corrupt audio, unsupported format, invalid payload).
 * The worker turns it into BullMQ's UnrecoverableError and marks the call failed with this message.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
