import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { JsonValue } from '#libs/audit';
import { type CampaignLlmSettingsRecord, type LlmRunAnswer, LlmQuestionRepository, ScorecardRepository, type StoredLlmQuestion, type StoredLlmQuestionVersion } from '#libs/db';
import type { NormalisedTranscript } from '#libs/domain';
import { LlmCheckService } from './llm-check.service.js';
import {
  diffQuestionContent,
  type LlmQuestionContent,
  LlmQuestionValidationError,
  type QuestionFieldChange,
  questionContentHash,
  toLlmQuestion,
  validateQuestionContent,
} from './llm-question-content.js';
import { LlmRequestError } from './llm-request.error.js';
import { QuestionCatalogError } from './question-catalog.error.js';
import { utcDayStart } from './llm-question-runtime.service.js';

export interface QuestionDetail {
  key: string;
  system: boolean;
  campaignId: string | null;
  forkedFrom: string | null;
  liveVersion: number | null;
  live: LlmQuestionContent | null;
  draft: LlmQuestionContent | null;
  draftUpdatedBy: string | null;
  draftUpdatedAt: Date | null;
  /** whether the draft as it stands was tried on text (publish requires it) */
  draftTested: boolean;
  /** what the draft changes against the live version, field by field */
  draftDiff: QuestionFieldChange[] | null;
  versions: { number: number; note: string; publishedBy: string; publishedAt: Date }[];
  createdBy: string;
  createdAt: Date;
}

export interface CampaignQuestionItem extends QuestionDetail {
  /** whether this campaign's calls ask it (published and not switched off) */
  enabled: boolean;
  /** answers recorded over the last 30 days on this campaign's calls, and how many were discarded (a quote not in the transcript, or unusable) */
  answers30d: number;
  discarded30d: number;
  /**
   * The scorecard criterion the live (else draft) version says it feeds, checked against the campaign's current
   * scorecard: linked (an llm criterion asking this question), missing (no such criterion, or no scorecard of the
   * campaign's own), other_source (the criterion reads something else). null: it names none.
   */
  criterion: { id: string; status: 'linked' | 'missing' | 'other_source'; scorecard: string | null } | null;
}

export interface QuestionTestResult {
  key: string;
  version: number | 'draft';
  answer: LlmRunAnswer;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  redactions: number;
}

const KEY = /^[A-Za-z0-9_.-]{1,100}$/;
const MAX_TEST_LINES = 400;

/**
 * Authoring of LLM questions: drafts validated before save, forks of shipped questions, a test on pasted text,
 * publish (only a tried draft, with a note) and rollback, each audited with the field diff; per campaign, which
 * questions run and its daily cost ceiling.
 */
@Injectable()
export class QuestionCatalogService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly questions: LlmQuestionRepository,
    private readonly checks: LlmCheckService,
    private readonly scorecards: ScorecardRepository,
  ) {}

  async list(campaignId: string): Promise<{ items: CampaignQuestionItem[]; settings: CampaignLlmSettingsRecord; spentTodayUsd: number }> {
    const [stored, settings, counts, spentTodayUsd, scorecard] = await Promise.all([
      this.questions.list(campaignId),
      this.questions.settings(campaignId),
      this.questions.answerCounts(campaignId, 30),
      this.questions.spentSince(campaignId, utcDayStart(new Date())),
      this.scorecards.currentForCampaign(campaignId),
    ]);
    const criteria = Array.isArray(scorecard?.criteria) ? (scorecard.criteria as { id?: unknown; source?: { kind?: unknown; questionId?: unknown } }[]) : [];
    const feeds = (q: StoredLlmQuestion): CampaignQuestionItem['criterion'] => {
      const id = ((q.liveContent ?? q.draft) as LlmQuestionContent | null)?.criterionId;
      if (!id) return null;
      const found = criteria.find((c) => c.id === id);
      const status = !found ? 'missing' : found.source?.kind === 'llm' && found.source.questionId === q.key ? 'linked' : 'other_source';
      return { id, status, scorecard: scorecard ? `${scorecard.name} v${scorecard.version}` : null };
    };
    const off = new Set(settings.disabledQuestions);
    const byQuestion = new Map(counts.map((c) => [c.questionId, c]));
    const items = stored.map((q) => ({
      ...this.detail(q),
      enabled: q.liveVersion !== null && !off.has(q.key),
      answers30d: byQuestion.get(q.key)?.answers ?? 0,
      discarded30d: byQuestion.get(q.key)?.discarded ?? 0,
      criterion: feeds(q),
    }));
    return { items, settings, spentTodayUsd };
  }

  async get(key: string): Promise<QuestionDetail> {
    return this.detail(await this.require(key));
  }

  async version(key: string, number: number): Promise<StoredLlmQuestionVersion> {
    const version = await this.questions.version(key, number);
    if (!version) throw new QuestionCatalogError('not_found', [`version: question ${key} has no published version ${number}`]);
    return version;
  }

  async create(campaignId: string, key: string, input: unknown, actor: string): Promise<QuestionDetail> {
    if (!KEY.test(key)) throw new QuestionCatalogError('invalid', ['body.key: 1-100 letters, digits, _ . - only']);
    const content = this.validate(input, 'body.question');
    const created = await this.questions.create({ key, campaignId, forkedFrom: null, draft: content as unknown as JsonValue, actor }, { changes: changesDetails(diffQuestionContent(null, content)) });
    if (!created) throw new QuestionCatalogError('conflict', [`body.key: a question ${key} exists`]);
    return this.get(key);
  }

  /** A campaign's own editable copy of a question's version (the live one by default), as a draft. */
  async fork(sourceKey: string, campaignId: string, key: string, number: number | undefined, actor: string): Promise<QuestionDetail> {
    if (!KEY.test(key)) throw new QuestionCatalogError('invalid', ['body.key: 1-100 letters, digits, _ . - only']);
    const source = await this.require(sourceKey);
    const from = number ?? source.liveVersion;
    if (from === null) throw new QuestionCatalogError('conflict', [`question: ${sourceKey} has no published version to fork`]);
    const content = this.validate((await this.version(sourceKey, from)).content, 'question');
    const forkedFrom = `${sourceKey}@${from}`;
    const created = await this.questions.create({ key, campaignId, forkedFrom, draft: content as unknown as JsonValue, actor }, { forkedFrom });
    if (!created) throw new QuestionCatalogError('conflict', [`body.key: a question ${key} exists`]);
    return this.get(key);
  }

  async saveDraft(key: string, input: unknown, actor: string): Promise<QuestionDetail> {
    const stored = await this.editable(key);
    const content = this.validate(input, 'body.question');
    const before = (stored.draft ?? stored.liveContent) as LlmQuestionContent | null;
    await this.questions.saveDraft(key, content as unknown as JsonValue, actor, { changes: changesDetails(diffQuestionContent(before, content)) });
    return this.get(key);
  }

  /**
   * Asks the LLM the draft (or a published version) over pasted text, one utterance a line ("agent:" / "customer:"
   * in front sets the speaker). A test of the draft as it stands is remembered: publish needs one.
   */
  async test(key: string, input: { text: string; language?: string; version?: number }, actor: string): Promise<QuestionTestResult> {
    const stored = await this.require(key);
    let content: LlmQuestionContent;
    let version: number | 'draft';
    if (input.version !== undefined) {
      content = this.validate((await this.version(key, input.version)).content, 'question');
      version = input.version;
    } else if (stored.draft !== null) {
      content = this.validate(stored.draft, 'draft');
      version = 'draft';
    } else if (stored.liveVersion !== null) {
      content = this.validate(stored.liveContent, 'question');
      version = stored.liveVersion;
    } else {
      throw new QuestionCatalogError('conflict', [`question: ${key} has neither a draft nor a published version`]);
    }
    const transcript = pastedTranscript(input.text, input.language);
    if (transcript.segments.length === 0) throw new QuestionCatalogError('invalid', ['body.text: paste at least one line of transcript']);
    if (transcript.segments.length > MAX_TEST_LINES) throw new QuestionCatalogError('invalid', [`body.text: at most ${MAX_TEST_LINES} lines`]);
    let tried;
    try {
      tried = await this.checks.tryQuestion(toLlmQuestion(key, String(version), content), transcript);
    } catch (error) {
      if (error instanceof LlmRequestError) throw new QuestionCatalogError('unavailable', [`llm: ${error.message}`]);
      throw error;
    }
    if (!tried) throw new QuestionCatalogError('unavailable', ['llm: no LLM endpoint configured (LLM_API_KEY / LLM_BASE_URL unset)']);
    if (version === 'draft' && stored.draftUpdatedAt) {
      await this.questions.recordDraftTest(key, stored.draftUpdatedAt, {
        contentHash: questionContentHash(content),
        at: new Date().toISOString(),
        by: actor,
        answer: tried.answer.answer,
        verified: tried.answer.verified,
      });
    }
    return { key, version, ...tried };
  }

  async publish(key: string, note: string, actor: string): Promise<{ version: number; changes: QuestionFieldChange[] }> {
    const stored = await this.editable(key);
    if (stored.draft === null || stored.draftUpdatedAt === null) throw new QuestionCatalogError('conflict', [`question: ${key} has no draft to publish`]);
    const content = this.validate(stored.draft, 'draft');
    const hash = questionContentHash(content);
    if (stored.draftTest?.contentHash !== hash) {
      throw new QuestionCatalogError('conflict', [`question: try the draft of ${key} as it stands on text before publishing (POST /v1/llm-questions/${key}/test)`]);
    }
    const live = stored.liveContent as LlmQuestionContent | null;
    const changes = diffQuestionContent(live, content);
    if (live && changes.length === 0) throw new QuestionCatalogError('conflict', ['question: the draft is the same as the live version']);
    const published = await this.questions.publish(key, { content: content as unknown as JsonValue, contentHash: hash, note, actor }, stored.draftUpdatedAt, { changes: changesDetails(changes) });
    if (!published) throw new QuestionCatalogError('conflict', ['question: the draft changed while it was being published; test it again']);
    return { version: published.number, changes };
  }

  async rollback(key: string, number: number, note: string, actor: string): Promise<{ version: number; changes: QuestionFieldChange[] }> {
    const stored = await this.editable(key);
    if (stored.liveVersion === number) throw new QuestionCatalogError('conflict', [`body.version: ${number} is already live`]);
    const target = this.validate((await this.version(key, number)).content, 'question');
    const changes = diffQuestionContent(stored.liveContent as LlmQuestionContent | null, target);
    await this.questions.setLive(key, number, actor, note, { from: stored.liveVersion, changes: changesDetails(changes) });
    return { version: number, changes };
  }

  /** Which questions a campaign switches off (system or its own) and its daily cost ceiling. */
  async setSettings(campaignId: string, input: { disabledQuestions: string[]; dailyCostCeilingUsd: number | null }, actor: string): Promise<CampaignLlmSettingsRecord> {
    const problems: string[] = [];
    const known = new Set((await this.questions.list(campaignId)).map((q) => q.key));
    const seen = new Set<string>();
    for (const [i, key] of input.disabledQuestions.entries()) {
      if (seen.has(key)) problems.push(`body.disabledQuestions.${i}: ${key} is listed twice`);
      else if (!known.has(key)) problems.push(`body.disabledQuestions.${i}: no question ${key} in this campaign`);
      seen.add(key);
    }
    if (input.dailyCostCeilingUsd !== null && !this.config.llm?.pricePerMTok) {
      problems.push('body.dailyCostCeilingUsd: a cost ceiling needs LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK set (without prices cost is not measured)');
    }
    if (problems.length > 0) throw new QuestionCatalogError('invalid', problems);
    const before = await this.questions.settings(campaignId);
    await this.questions.setSettings(campaignId, input, actor, { before: { disabledQuestions: before.disabledQuestions, dailyCostCeilingUsd: before.dailyCostCeilingUsd } });
    return this.questions.settings(campaignId);
  }

  private validate(input: unknown, field: string): LlmQuestionContent {
    try {
      return validateQuestionContent(input, field);
    } catch (error) {
      if (error instanceof LlmQuestionValidationError) throw new QuestionCatalogError('invalid', error.issues);
      throw error;
    }
  }

  private detail(q: StoredLlmQuestion): QuestionDetail {
    const draft = (q.draft ?? null) as LlmQuestionContent | null;
    const live = (q.liveContent ?? null) as LlmQuestionContent | null;
    return {
      key: q.key,
      system: q.system,
      campaignId: q.campaignId,
      forkedFrom: q.forkedFrom,
      liveVersion: q.liveVersion,
      live,
      draft,
      draftUpdatedBy: q.draftUpdatedBy,
      draftUpdatedAt: q.draftUpdatedAt,
      draftTested: draft !== null && q.draftTest?.contentHash === questionContentHash(draft),
      draftDiff: draft ? diffQuestionContent(live, draft) : null,
      versions: q.versions,
      createdBy: q.createdBy,
      createdAt: q.createdAt,
    };
  }

  private async require(key: string): Promise<StoredLlmQuestion> {
    const stored = await this.questions.find(key);
    if (!stored) throw new QuestionCatalogError('not_found', [`question: no LLM question ${key}`]);
    return stored;
  }

  private async editable(key: string): Promise<StoredLlmQuestion> {
    const stored = await this.require(key);
    if (stored.system) throw new QuestionCatalogError('read_only', [`question: ${key} is a shipped question and read-only; fork it to change it`]);
    return stored;
  }
}

function changesDetails(changes: QuestionFieldChange[]): JsonValue {
  return changes.map((c) => ({ field: c.field, before: c.before, after: c.after }));
}

/** Pasted text as a transcript: one segment a line, "agent:" / "customer:" (or 坐席/客户) in front sets the speaker. */
export function pastedTranscript(text: string, language?: string): NormalisedTranscript {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const segments = lines.map((line, i) => {
    const m = /^(agent|customer|坐席|客户)\s*[:：]\s*(.*)$/i.exec(line);
    const who = m?.[1]?.toLowerCase();
    const speaker = who === 'agent' || who === '坐席' ? ('agent' as const) : who === 'customer' || who === '客户' ? ('customer' as const) : ('unknown' as const);
    return { speaker, start: i * 5, end: i * 5 + 5, text: m ? (m[2] as string) : line };
  });
  const lang = language ?? (/[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en');
  return { provider: 'pasted', language: lang, rolesSource: 'none', segments };
}
