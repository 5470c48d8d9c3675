import { isUuid } from '#libs/domain';
import { type PipelineStage, isPipelineStage } from './pipeline.js';

/**
 * A pipeline job carries the call id only (a stage reloads state from the database and storage); after a failure it
 * also says where its retry resumes, so the stages its lane already committed do not run again.
 */
export interface CallJobPayload {
  callId: string;
  resumeAt?: PipelineStage;
}

/** Validates a payload read back from Redis before a worker trusts it. */
export function parseCallJobPayload(data: unknown): CallJobPayload {
  if (typeof data !== 'object' || data === null) throw new InvalidJobPayloadError('payload is not an object');
  const { callId, resumeAt } = data as Record<string, unknown>;
  if (!isUuid(callId)) throw new InvalidJobPayloadError('callId must be a uuid');
  if (resumeAt !== undefined && !isPipelineStage(resumeAt)) throw new InvalidJobPayloadError('resumeAt must name a stage');
  return resumeAt === undefined ? { callId } : { callId, resumeAt };
}

export class InvalidJobPayloadError extends Error {
  constructor(message: string) {
    super(`invalid job payload: ${message}`);
    this.name = 'InvalidJobPayloadError';
  }
}

/** A bulk re-score: which finished calls to score again (ids only; the worker resolves and fans them out). */
export interface BulkRescorePayload {
  campaignId?: string;
  scorecardId?: string;
  agentId?: string;
  callIds?: string[];
  limit: number;
}

export interface BulkProgress {
  total: number;
  queued: number;
}
