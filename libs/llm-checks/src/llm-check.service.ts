import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallResultsRepository, type LlmCheckRunRecord, LlmCheckRepository, type LlmRunAnswer } from '#libs/db';
import type { FindingDraft, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { LLM_ANSWER_SCHEMA, parseLlmAnswer, renderTranscript } from './llm-answer.js';
import { buildMessages } from './llm-prompt.js';
import { type LlmQuestion, type LlmQuestionLanguage, SHIPPED_LLM_QUESTIONS, questionLanguage, selectQuestions } from './llm-question.js';
import { judgeAnswer, redactSegments } from './llm-verdict.js';
import { LLM_CLIENT, type LlmClient } from './llm-client.js';
import { LlmRequestError } from './llm-request.error.js';

export const LLM_QUESTIONS = Symbol('LLM_QUESTIONS');

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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LLM_CLIENT) private readonly client: LlmClient | null,
    @Inject(LLM_QUESTIONS) private readonly questions: readonly LlmQuestion[],
    private readonly results: CallResultsRepository,
    private readonly llm: LlmCheckRepository,
  ) {}

  async check(callId: string, transcript: NormalisedTranscript, candidateFamilies: ReadonlySet<string>, callLanguage?: string | null): Promise<LlmCheckRunRecord> {
    const client = this.client;
    if (!client) {
      return this.record(callId, { ...emptyRun('skipped', 'no LLM endpoint configured (LLM_API_KEY / LLM_BASE_URL unset)'), model: null });
    }
    const selected = selectQuestions(this.questions, candidateFamilies);
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

  private async ask(client: LlmClient, question: LlmQuestion, p: Prepared): Promise<Asked> {
    const key = { transcriptHash: p.hash, questionId: question.id, promptVersion: question.promptVersion, model: client.model };
    const base = { questionId: question.id, promptVersion: question.promptVersion };
    const cached = await this.llm.findCached(key);
    let content: string | null;
    let refusal: string | null = null;
    let spent = { inputTokens: 0, outputTokens: 0 };
    if (cached) {
      content = cached.content;
    } else {
      const reply = await client.complete({
        messages: buildMessages(question, p.language, p.rendered),
        schema: { name: LLM_ANSWER_SCHEMA.name, strict: LLM_ANSWER_SCHEMA.strict, schema: LLM_ANSWER_SCHEMA.schema },
      });
      content = reply.content;
      refusal = reply.refusal;
      spent = { inputTokens: reply.inputTokens, outputTokens: reply.outputTokens };
      // Refusals are not cached: a later run (or model) may answer.
      if (content !== null) await this.llm.saveCached(key, { content, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens });
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
    return {
      answer: { ...base, answer: verdict.answer, verified: true, cached: cached !== null, finding: verdict.finding !== undefined },
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

/** The shipped question set; tests and deployments may provide their own under LLM_QUESTIONS. */
export const LLM_QUESTIONS_PROVIDER = { provide: LLM_QUESTIONS, useValue: SHIPPED_LLM_QUESTIONS };
