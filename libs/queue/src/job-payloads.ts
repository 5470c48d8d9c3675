import { JobName } from './queue-names.js';
import { isUuid } from '#libs/domain';

/** Every pipeline job carries the call id only; a stage reloads state from the database and storage. */
export interface CallJobPayload {
  callId: string;
}

export interface JobPayloads {
  [JobName.TranscribeCall]: CallJobPayload;
  [JobName.AnalyseCallAudio]: CallJobPayload;
  [JobName.CheckCall]: CallJobPayload;
  [JobName.ScoreCall]: CallJobPayload;
  [JobName.ClipFindings]: CallJobPayload;
  [JobName.RollupCall]: CallJobPayload;
}

export type JobOf<N extends JobName> = { name: N; data: JobPayloads[N] };


/** Validates a payload read back from Redis before a processor trusts it. */
export function parseCallJobPayload(data: unknown): CallJobPayload {
  if (typeof data !== 'object' || data === null) throw new InvalidJobPayloadError('payload is not an object');
  const callId = (data as Record<string, unknown>).callId;
  if (!isUuid(callId)) throw new InvalidJobPayloadError('callId must be a uuid');
  return { callId };
}

export class InvalidJobPayloadError extends Error {
  constructor(message: string) {
    super(`invalid job payload: ${message}`);
    this.name = 'InvalidJobPayloadError';
  }
}
