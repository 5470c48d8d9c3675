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

/** A re-check of stored calls: which calls (a period of call start, optionally a campaign, or only calls running a pack). */
export interface BulkRecheckPayload {
  /** ISO instants, [from, to) on the call's start */
  from: string;
  to: string;
  campaignId?: string;
  /** only calls whose campaign runs this pack */
  packKey?: string;
  /** who asked, for the log and the audit */
  requestedBy: string;
}

export interface RecheckProgress {
  /** calls in scope when the job started */
  total: number;
  processed: number;
  /** calls whose rule findings changed (re-scored) */
  callsChanged: number;
  findingsAdded: number;
  findingsRemoved: number;
  /** findings kept whose content changed (a new version, evidence, severity) */
  findingsUpdated: number;
  skippedWithoutTranscript: number;
}

/** A background backtest: the run id only (the run row holds the request). */
export interface BulkBacktestPayload {
  runId: string;
}

/** Validates a backtest job's payload read back from Redis. */
export function parseBacktestPayload(data: unknown): BulkBacktestPayload {
  const runId = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).runId : undefined;
  if (!isUuid(runId)) throw new InvalidJobPayloadError('runId must be a uuid');
  return { runId };
}

/** Validates a re-check job's payload read back from Redis. */
export function parseRecheckPayload(data: unknown): BulkRecheckPayload {
  if (typeof data !== 'object' || data === null) throw new InvalidJobPayloadError('payload is not an object');
  const { from, to, campaignId, packKey, requestedBy } = data as Record<string, unknown>;
  if (typeof from !== 'string' || Number.isNaN(Date.parse(from))) throw new InvalidJobPayloadError('from must be an instant');
  if (typeof to !== 'string' || Number.isNaN(Date.parse(to))) throw new InvalidJobPayloadError('to must be an instant');
  if (campaignId !== undefined && !isUuid(campaignId)) throw new InvalidJobPayloadError('campaignId must be a uuid');
  if (packKey !== undefined && typeof packKey !== 'string') throw new InvalidJobPayloadError('packKey must be a string');
  if (typeof requestedBy !== 'string') throw new InvalidJobPayloadError('requestedBy must be a string');
  return { from, to, requestedBy, ...(campaignId !== undefined ? { campaignId } : {}), ...(packKey !== undefined ? { packKey } : {}) };
}

/** Levels above the agent whose days have thresholds. */
export type JudgedLevel = 'group' | 'team' | 'campaign';

/** A level's day to judge against the thresholds: the level, its id, the day key and the zone that cuts it. */
export interface LevelDayPayload {
  level: JudgedLevel;
  id: string;
  /** YYYY-MM-DD in `timeZone` */
  day: string;
  timeZone: string;
}

/** Validates a level judgement's payload read back from Redis. */
export function parseLevelDayPayload(data: unknown): LevelDayPayload {
  if (typeof data !== 'object' || data === null) throw new InvalidJobPayloadError('payload is not an object');
  const { level, id, day, timeZone } = data as Record<string, unknown>;
  if (level !== 'group' && level !== 'team' && level !== 'campaign') throw new InvalidJobPayloadError('level must be group, team or campaign');
  if (!isUuid(id)) throw new InvalidJobPayloadError('id must be a uuid');
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new InvalidJobPayloadError('day must be YYYY-MM-DD');
  if (typeof timeZone !== 'string' || timeZone.length === 0) throw new InvalidJobPayloadError('timeZone must be an IANA zone');
  return { level, id, day, timeZone };
}
