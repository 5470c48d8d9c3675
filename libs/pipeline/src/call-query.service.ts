import { Injectable } from '@nestjs/common';
import {
  type CallListFilter,
  type CallListItem,
  type CallRecord,
  CallRepository,
  CallResultsRepository,
  type LlmCheckRunRecord,
  LlmCheckRepository,
  type StoredEvaluation,
  type StoredFinding,
} from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { type RedactionCounts, redactText, redactTranscript } from '#libs/redaction';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';

export interface CallDetails {
  call: CallRecord;
  /** as transcribed, or with sensitive text replaced (the default view) */
  transcript: (NormalisedTranscript & { redacted: boolean; redactionCounts: RedactionCounts | null }) | null;
  metrics: ConversationMetricsResult | null;
  findings: StoredFinding[];
  evaluation: StoredEvaluation | null;
  /** what the LLM checks did (skipped when no endpoint is configured); null before the check stage ran */
  llmChecks: LlmCheckRunRecord | null;
}

export interface CallPage {
  items: CallListItem[];
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

  /**
   * The call with everything known about it. Unless `unredacted` is asked for, transcript segments and finding
   * evidence come with card numbers, national ids, emails and bank accounts replaced.
   */
  async details(callId: string, view: { unredacted: boolean } = { unredacted: false }): Promise<CallDetails | null> {
    const call = await this.calls.findById(callId);
    if (!call) return null;
    const [stored, metrics, findings, evaluation, llmChecks] = await Promise.all([
      this.results.findTranscriptWithRedaction(callId),
      this.results.findMetrics(callId),
      this.results.listFindings(callId),
      this.results.findEvaluation(callId),
      this.llm.findRun(callId),
    ]);
    const transcript = stored?.transcript ?? null;
    if (view.unredacted || !transcript) {
      return { call, transcript: transcript && { ...transcript, redacted: false, redactionCounts: null }, metrics, findings, evaluation, llmChecks };
    }
    // transcripts stored before redaction existed have no stored view: redact them as they are read
    const redacted = stored?.redacted ?? redactTranscript(transcript.segments);
    return {
      call,
      transcript: { ...transcript, segments: redacted.segments, redacted: true, redactionCounts: redacted.redaction.counts },
      metrics,
      findings: findings.map((finding) =>
        finding.evidence?.text ? { ...finding, evidence: { ...finding.evidence, text: redactText(finding.evidence.text).text } } : finding,
      ),
      evaluation,
      llmChecks,
    };
  }

  /** Newest first; the cursor is opaque to clients. */
  async list(filter: CallListFilter, limit: number, cursor?: string): Promise<CallPage> {
    const items = await this.calls.list(filter, { limit: limit + 1, cursor: cursor ? decodePageCursor(cursor) : undefined });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: items.length > limit && last ? encodePageCursor(last) : null };
  }
}
