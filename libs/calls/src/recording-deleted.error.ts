/** Retention deleted the call's recording: nothing that needs the audio can run or be served again (410). */
export class RecordingDeletedError extends Error {
  constructor(
    readonly callId: string,
    readonly deletedAt: Date,
    what = 'the recording',
  ) {
    super(`${what} of call ${callId} was deleted by retention on ${deletedAt.toISOString()}; its findings, confirmed clips and transcript remain`);
    this.name = 'RecordingDeletedError';
  }
}
