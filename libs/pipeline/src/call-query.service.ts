import { Injectable } from '@nestjs/common';
import {
  type CallListFilter,
  type CallRecord,
  CallRepository,
  CallResultsRepository,
  type LlmCheckRunRecord,
  LlmCheckRepository,
  type StoredEvaluation,
  type StoredFinding,
} from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';

export interface CallDetails {
  call: CallRecord;
  transcript: NormalisedTranscript | null;
  metrics: ConversationMetricsResult | null;
  findings: StoredFinding[];
  evaluation: StoredEvaluation | null;
  /** what the LLM checks did (skipped when no endpoint is configured); null before the check stage ran */
  llmChecks: LlmCheckRunRecord | null;
}

export interface CallPage {
  items: CallRecord[];
  nextCursor: string | null;
}

/** Read side of calls for the API. */
@Injectable()
export class CallQueryService {
  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    private readonly llm: LlmCheckRepository,
  ) {}

  async details(callId: string): Promise<CallDetails | null> {
    const call = await this.calls.findById(callId);
    if (!call) return null;
    const [transcript, metrics, findings, evaluation, llmChecks] = await Promise.all([
      this.results.findTranscript(callId),
      this.results.findMetrics(callId),
      this.results.listFindings(callId),
      this.results.findEvaluation(callId),
      this.llm.findRun(callId),
    ]);
    return { call, transcript, metrics, findings, evaluation, llmChecks };
  }

  /** Newest first; the cursor is opaque to clients. */
  async list(filter: CallListFilter, limit: number, cursor?: string): Promise<CallPage> {
    const items = await this.calls.list(filter, { limit: limit + 1, cursor: cursor ? decodeCursor(cursor) : undefined });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
  }
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor: not a cursor this API returned');
    this.name = 'InvalidCursorError';
  }
}

function encodeCursor(call: CallRecord): string {
  return Buffer.from(`${call.createdAt.toISOString()}|${call.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new InvalidCursorError();
  return { createdAt, id };
}
