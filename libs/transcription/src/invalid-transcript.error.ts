/** A supplied (sidecar) transcript that fails validation; the message names the problem and where. */
export class InvalidTranscriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTranscriptError';
  }
}
