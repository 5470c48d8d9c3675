import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallResultsRepository, type LlmCheckRunRecord, LlmCheckRepository, type LlmRunAnswer } from '#libs/db';
import { ConcurrencyLimit, type FindingDraft, type NormalisedTranscript, type TranscriptSegment } from '#libs/domain';
import { LLM_ANSWER_SCHEMA, parseLlmAnswer, renderTranscript } from './llm-answer.js';
import { buildMessages } from './llm-prompt.js';
import { type LlmQuestion, type LlmQuestionLanguage, questionLanguage, selectQuestions } from './llm-question.js';
import { judgeAnswer, redactSegments } from './llm-verdict.js';
import { LLM_CLIENT, type LlmClient } from './llm-client.js';
import { LlmRequestError } from './llm-request.error.js';

/** Where the questions a call runs come from (LlmQuestionRuntime: the published versions its campaign enables). */
export const LLM_QUESTIONS = Symbol('LLM_QUESTIONS');

export interface CampaignQuestions {
  questions: LlmQuestion[];
  /** USD per UTC day; null: no ceiling */
  dailyCostCeilingUsd: number | null;
}

export interface LlmQuestionSource {
  forCampaign(campaignId: string | null): Promise<CampaignQuestions>;
  /** USD the campaign's LLM checks recorded since the start of this UTC day */
  spentToday(campaignId: string): Promise<number>;
}

export interface LlmCheckOptions {
  campaignId?: string | null;
  /** ids of the rules that fired (a question's cascade may name rules as well as families) */
  firedRules?: ReadonlySet<string>;
}

/** A run as recorded, plus why it was skipped (for the worker's counters). */
export type LlmCheckOutcome = LlmCheckRunRecord & { skippedBy?: 'no_endpoint' | 'cost_ceiling' };

interface Asked {
  answer: LlmRunAnswer;
  finding?: FindingDraft;
  inputTokens: number;
  outputTokens: number;
}

interface Prepared {
  language: LlmQuestionLanguage;
  sent: TranscriptSegment[];
  original: readonly TranscriptSegment[];
  rendered: string;
  hash: string;
  redactions: number;
}

/**
 * The LLM checks of one call: the questions its rule candidates call for (plus the `always` ones), asked over the
 * redacted transcript with cached replies reused; every quote verified, unverified answers discarded and counted.
 * Violations replace the call's 'llm' findings; the run (or that it was skipped) is recorded per call.
 */
@Injectable()
export class LlmCheckService {
  private readonly logger = new Logger(LlmCheckService.name);
  /** every request of this process goes through it (LLM_CONCURRENCY) */
  private readonly limit: ConcurrencyLimit;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LLM_CLIENT) private readonly client: LlmClient | null,
    @Inject(LLM_QUESTIONS) private readonly questions: LlmQuestionSource,
    private readonly results: CallResultsRepository,
    private readonly llm: LlmCheckRepository,
  ) {
    this.limit = new ConcurrencyLimit(config.llm?.concurrency ?? 4);
  }

  async check(
    callId: string,
    transcript: NormalisedTranscript,
    candidateFamilies: ReadonlySet<string>,
    callLanguage?: string | null,
    options: LlmCheckOptions = {},
  ): Promise<LlmCheckOutcome> {
    const client = this.client;
    if (!client) {
      const run = await this.record(callId, { ...emptyRun('skipped', 'no LLM endpoint configured (LLM_API_KEY / LLM_BASE_URL unset)'), model: null });
      return { ...run, skippedBy: 'no_endpoint' };
    }
    const campaignId = options.campaignId ?? null;
    const { questions, dailyCostCeilingUsd } = await this.questions.forCampaign(campaignId);
    if (campaignId && dailyCostCeilingUsd !== null) {
      const spent = await this.questions.spentToday(campaignId);
      if (spent >= dailyCostCeilingUsd) {
        const reason = `daily LLM cost ceiling reached for this campaign: $${spent.toFixed(4)} spent today (UTC) of $${dailyCostCeilingUsd.toFixed(4)}`;
        this.logger.warn(`LLM checks skipped callId=${callId}: ${reason}`);
        const run = await this.record(callId, { ...emptyRun('skipped', reason), model: client.model });
        return { ...run, skippedBy: 'cost_ceiling' };
      }
    }
    const selected = selectQuestions(questions, candidateFamilies, options.firedRules);
    if (selected.length === 0 || transcript.segments.length === 0) {
      await this.results.replaceFindings(callId, ['llm'], []);
      const reason = transcript.segments.length === 0 ? 'empty transcript' : 'no question applies to this call';
      return this.record(callId, { ...emptyRun('completed', reason), model: client.model });
    }
    const prepared = this.prepare(transcript, callLanguage);
    let asked: Asked[];
    try {
      asked = await Promise.all(selected.map((q) => this.ask(client, q, prepared)));
    } catch (error) {
      if (error instanceof LlmRequestError && error.permanent) {
        // A rejected request (bad key, unknown model) will not pass on retry: the call completes without LLM answers.
        this.logger.warn(`LLM checks failed callId=${callId}: ${error.message}`);
        return this.record(callId, { ...emptyRun('failed', error.message), model: client.model });
      }
      throw error;
    }
    const findings = asked.flatMap((a) => (a.finding ? [a.finding] : []));
    await this.results.replaceFindings(callId, ['llm'], findings);
    const inputTokens = sum(asked.map((a) => a.inputTokens));
    const outputTokens = sum(asked.map((a) => a.outputTokens));
    const price = this.config.llm?.pricePerMTok;
    return this.record(callId, {
      status: 'completed',
      reason: null,
      model: client.model,
      questionsAsked: selected.length,
      cacheHits: asked.filter((a) => a.answer.cached).length,
      discardedAnswers: asked.filter((a) => !a.answer.verified).length,
      inputTokens,
      outputTokens,
      costUsd: price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null,
      redactions: prepared.redactions,
      answers: asked.map((a) => a.answer),
    });
  }

  private prepare(transcript: NormalisedTranscript, callLanguage?: string | null): Prepared {
    const language = questionLanguage(transcript.language ?? callLanguage ?? undefined);
    const redacted = this.config.llm?.redact === false ? { segments: transcript.segments, redactions: 0 } : redactSegments(transcript.segments);
    const rendered = renderTranscript(redacted.segments);
    const hash = createHash('sha256').update(`${language}\n${rendered}`).digest('hex');
    return { language, sent: redacted.segments, original: transcript.segments, rendered, hash, redactions: redacted.redactions };
  }

  /**
   * Asks one question (a draft, say) over a pasted transcript, as a call's check would: redacted, verified, but
   * neither cached nor recorded. Throws LlmRequestError; null when no endpoint is configured.
   */
  async tryQuestion(question: LlmQuestion, transcript: NormalisedTranscript): Promise<{ answer: LlmRunAnswer; inputTokens: number; outputTokens: number; costUsd: number | null; redactions: number } | null> {
    const client = this.client;
    if (!client) return null;
    const prepared = this.prepare(transcript, transcript.language);
    const asked = await this.ask(client, question, prepared, false);
    const price = this.config.llm?.pricePerMTok;
    const costUsd = price ? (asked.inputTokens * price.input + asked.outputTokens * price.output) / 1_000_000 : null;
    return { answer: asked.answer, inputTokens: asked.inputTokens, outputTokens: asked.outputTokens, costUsd, redactions: prepared.redactions };
  }

  private async ask(client: LlmClient, question: LlmQuestion, p: Prepared, useCache = true): Promise<Asked> {
    const key = { transcriptHash: p.hash, questionId: question.id, promptVersion: question.promptVersion, model: client.model };
    const base = { questionId: question.id, promptVersion: question.promptVersion };
    const cached = useCache ? await this.llm.findCached(key) : null;
    let content: string | null;
    let refusal: string | null = null;
    let spent = { inputTokens: 0, outputTokens: 0 };
    if (cached) {
      content = cached.content;
    } else {
      const reply = await this.limit.run(() =>
        client.complete({
          messages: buildMessages(question, p.language, p.rendered),
          schema: { name: LLM_ANSWER_SCHEMA.name, strict: LLM_ANSWER_SCHEMA.strict, schema: LLM_ANSWER_SCHEMA.schema },
        }),
      );
      content = reply.content;
      refusal = reply.refusal;
      spent = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens };
      // Refusals are not cached: a later run (or model) may answer.
      if (content !== null && useCache) await this.llm.saveCached(key, { content, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens });
    }
    const discarded = (reason: string): Asked => ({ answer: { ...base, answer: null, verified: false, cached: cached !== null, finding: false, reason }, ...spent });
    if (content === null) return discarded(`refused: ${refusal ?? 'no content'}`);
    let parsed;
    try {
      parsed = parseLlmAnswer(content);
    } catch (error) {
      return discarded((error as Error).message);
    }
    const verdict = judgeAnswer(question, parsed, p.sent, p.original);
    if (verdict.kind === 'discarded') {
      return { answer: { ...base, answer: parsed.answer, verified: false, cached: cached !== null, finding: false, reason: verdict.reason }, ...spent };
    }
    const quotes = verdict.evidence.map((e) => ({ segmentIndex: e.segmentIndex, startSeconds: e.startSeconds, endSeconds: e.endSeconds, text: e.text }));
    const rationale = parsed.rationale?.trim().slice(0, 500);
    return {
      answer: { ...base, answer: verdict.answer, verified: true, cached: cached !== null, finding: verdict.finding !== undefined, quotes, ...(rationale ? { rationale } : {}) },
      ...(verdict.finding ? { finding: verdict.finding } : {}),
      ...spent,
    };
  }

  private async record(callId: string, run: LlmCheckRunRecord): Promise<LlmCheckRunRecord> {
    await this.llm.saveRun(callId, run);
    return run;
  }
}

function emptyRun(status: LlmCheckRunRecord['status'], reason: string): LlmCheckRunRecord {
  return { status, reason, model: null, questionsAsked: 0, cacheHits: 0, discardedAnswers: 0, inputTokens: 0, outputTokens: 0, costUsd: null, redactions: 0, answers: [] };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
