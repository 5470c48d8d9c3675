import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import {
  type CallListFilter,
  type CallListItem,
  type CallRecord,
  CallRepository,
  CallResultsRepository,
  type LlmCheckRunRecord,
  LlmCheckRepository,
  type CallEvaluationRecord,
  EvaluationRepository,
  type StoredFinding,
  decodePageCursor,
  encodePageCursor,
} from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { type RedactionCounts, redactText, redactTranscript, redactionIsCurrent, redactionKindsFor } from '#libs/redaction';


export interface CallDetails {
  call: CallRecord;
  /** as transcribed, or with sensitive text replaced (the default view) */
  transcript: (NormalisedTranscript & { redacted: boolean; redactionCounts: RedactionCounts | null }) | null;
  metrics: ConversationMetricsResult | null;
  findings: StoredFinding[];
  evaluation: CallEvaluationRecord | null;
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
    private readonly evaluations: EvaluationRepository,
    private readonly llm: LlmCheckRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The call with everything known about it. Unless `unredacted` is asked for, transcript segments and finding
   * evidence come with the sensitive kinds for the call's campaign (REDACTION_KINDS adjusted by the campaign) replaced.
   */
  /** The call's own record: metadata and pipeline status, nothing said in it. */
  call(callId: string): Promise<CallRecord | null> {
    return this.calls.findById(callId);
  }

  async details(callId: string, view: { unredacted: boolean } = { unredacted: false }): Promise<CallDetails | null> {
    const call = await this.calls.findById(callId);
    if (!call) return null;
    const [stored, metrics, findings, evaluation, llmChecks] = await Promise.all([
      this.results.findTranscriptWithRedaction(callId),
      this.results.findMetrics(callId),
      this.results.listFindings(callId),
      this.evaluations.find(callId),
      this.llm.findRun(callId),
    ]);
    const transcript = stored?.transcript ?? null;
    if (view.unredacted || !transcript) {
      return { call, transcript: transcript && { ...transcript, redacted: false, redactionCounts: null }, metrics, findings, evaluation, llmChecks };
    }
    // a transcript stored before redaction existed, or redacted by older rules or for other kinds, is redacted again
    // as it is read (the backfill stores the new view and re-makes the muted recording)
    const kinds = redactionKindsFor(this.config.redaction.kinds, call);
    const redacted =
      stored?.redacted && redactionIsCurrent(stored.redacted.redaction, kinds) ? stored.redacted : redactTranscript(transcript.segments, { kinds });
    return {
      call,
      transcript: { ...transcript, segments: redacted.segments, redacted: true, redactionCounts: redacted.redaction.counts },
      metrics,
      findings: findings.map((finding) =>
        finding.evidence?.text ? { ...finding, evidence: { ...finding.evidence, text: redactText(finding.evidence.text, { kinds }).text } } : finding,
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
