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
import { decodePageCursor, encodePageCursor } from './page-cursor.js';

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
    const items = await this.calls.list(filter, { limit: limit + 1, cursor: cursor ? decodePageCursor(cursor) : undefined });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: items.length > limit && last ? encodePageCursor(last) : null };
  }
}
