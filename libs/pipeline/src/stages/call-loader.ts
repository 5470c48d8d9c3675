import type { CallRecord, CallRepository } from '#libs/db';
import { PermanentJobError } from '#libs/queue';

export async function loadCall(calls: CallRepository, callId: string): Promise<CallRecord> {
  const call = await calls.findById(callId);
  if (!call) throw new PermanentJobError(`call ${callId} does not exist`);
  return call;
}

/**
 * The call as the stages of one job read it: loaded once (three queries: the call, its agent, its campaign), and again
 * only after a stage that changed the row says so. A lane runs several stages back to back; each used to load it anew.
 */
export class StageCall {
  private record: Promise<CallRecord> | null = null;

  constructor(
    private readonly calls: CallRepository,
    readonly id: string,
  ) {}

  load(): Promise<CallRecord> {
    if (!this.record) {
      this.record = loadCall(this.calls, this.id);
      // a failed read is not kept: the next stage (or the retry) reads again
      this.record.catch(() => (this.record = null));
    }
    return this.record;
  }

  /** The stage wrote to the call's row: the next load reads it again. */
  changed(): void {
    this.record = null;
  }
}
