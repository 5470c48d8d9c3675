import type { CallRecord, CallRepository } from '#libs/db';
import { PermanentJobError } from '#libs/queue';

export async function loadCall(calls: CallRepository, callId: string): Promise<CallRecord> {
  const call = await calls.findById(callId);
  if (!call) throw new PermanentJobError(`call ${callId} does not exist`);
  return call;
}
