import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';
import { type AuditTransaction, AuditRepository } from './audit.repository.js';

export interface LlmQuestionVersionSummary {
  number: number;
  note: string;
  publishedBy: string;
  publishedAt: Date;
}

export interface StoredLlmQuestionVersion extends LlmQuestionVersionSummary {
  key: string;
  /** as stored; callers validate it (libs/llm-checks validateQuestionContent) */
  content: unknown;
  contentHash: string;
}

/** The last test on text of a draft; publish needs one whose contentHash is the draft's. */
export interface DraftTestRecord {
  contentHash: string;
  at: string;
  by: string;
  answer: string | null;
  verified: boolean;
}

export interface StoredLlmQuestion {
  key: string;
  system: boolean;
  campaignId: string | null;
  forkedFrom: string | null;
  liveVersion: number | null;
  draft: unknown;
  draftUpdatedBy: string | null;
  draftUpdatedAt: Date | null;
  draftTest: DraftTestRecord | null;
  createdBy: string;
  createdAt: Date;
  versions: LlmQuestionVersionSummary[];
  /** the live version's content (null when unpublished) */
  liveContent: unknown;
}

export interface NewQuestionVersion {
  content: JsonValue;
  contentHash: string;
  note: string;
  actor: string;
}

export interface CampaignLlmSettingsRecord {
  disabledQuestions: string[];
  dailyCostCeilingUsd: number | null;
}

/** A live question version a campaign runs. */
export interface LiveQuestion {
  key: string;
  number: number;
  content: unknown;
}

export interface QuestionAnswerCounts {
  questionId: string;
  answers: number;
  discarded: number;
}

type Details = Record<string, JsonValue>;

const VERSION_SUMMARY = { number: true, note: true, publishedBy: true, publishedAt: true } as const;
const QUESTION = {
  key: true,
  system: true,
  campaignId: true,
  forkedFrom: true,
  liveVersion: true,
  draft: true,
  draftUpdatedBy: true,
  draftUpdatedAt: true,
  draftTest: true,
  createdBy: true,
  createdAt: true,
  versions: { select: { ...VERSION_SUMMARY, content: true }, orderBy: { number: 'desc' } },
} as const;

// Any fixed key: seeding, publishing and rollback of questions are serialised so version numbers never collide.
const QUESTION_LOCK = 4541554403;

/** LLM questions, their drafts and immutable published versions, and each campaign's LLM settings. Audited writes. */
@Injectable()
export class LlmQuestionRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

  /** The system questions and, with a campaign, that campaign's own; system first, then by key. */
  async list(campaignId: string | null): Promise<StoredLlmQuestion[]> {
    const rows = await this.prisma.client.llmQuestionDef.findMany({
      where: campaignId ? { OR: [{ system: true }, { campaignId }] } : { system: true },
      select: QUESTION,
      orderBy: [{ system: 'desc' }, { key: 'asc' }],
    });
    return rows.map(questionOf);
  }

  async find(key: string): Promise<StoredLlmQuestion | null> {
    const row = await this.prisma.client.llmQuestionDef.findUnique({ where: { key }, select: QUESTION });
    return row ? questionOf(row) : null;
  }

  async version(key: string, number: number): Promise<StoredLlmQuestionVersion | null> {
    const row = await this.prisma.client.llmQuestionVersion.findFirst({
      where: { number, question: { key } },
      select: { ...VERSION_SUMMARY, content: true, contentHash: true },
    });
    return row ? { ...row, key } : null;
  }

  /** Makes `content` the live version of a system question unless its latest version has this hash already. */
  async seedSystem(key: string, version: NewQuestionVersion): Promise<{ number: number; added: boolean }> {
    return this.prisma.client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${QUESTION_LOCK})`;
        const row = await tx.llmQuestionDef.upsert({ where: { key }, create: { key, system: true, createdBy: version.actor }, update: {}, select: { id: true, system: true } });
        if (!row.system) throw new Error(`LLM question ${key} exists as a campaign question; a shipped question cannot take its key`);
        const latest = await tx.llmQuestionVersion.findFirst({ where: { questionId: row.id }, orderBy: { number: 'desc' }, select: { number: true, contentHash: true } });
        if (latest?.contentHash === version.contentHash) return { number: latest.number, added: false };
        const number = (latest?.number ?? 0) + 1;
        await this.insertVersion(tx, row.id, number, version);
        await tx.llmQuestionDef.update({ where: { id: row.id }, data: { liveVersion: number } });
        await this.audit.appendWithin(tx, { actor: version.actor, action: 'llm_question.seeded', entityType: 'llm_question', entityId: key, details: { version: number, note: version.note } });
        return { number, added: true };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }

  /** A new campaign question with a draft; false when the key is taken. */
  async create(question: { key: string; campaignId: string; forkedFrom: string | null; draft: JsonValue; actor: string }, details: Details): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      if (await tx.llmQuestionDef.findUnique({ where: { key: question.key }, select: { id: true } })) return false;
      await tx.llmQuestionDef.create({
        data: {
          key: question.key,
          campaignId: question.campaignId,
          forkedFrom: question.forkedFrom,
          draft: question.draft as InputJsonValue,
          draftUpdatedBy: question.actor,
          draftUpdatedAt: new Date(),
          createdBy: question.actor,
        },
      });
      await this.audit.appendWithin(tx, {
        actor: question.actor,
        action: question.forkedFrom ? 'llm_question.forked' : 'llm_question.created',
        entityType: 'llm_question',
        entityId: question.key,
        details: { ...details, campaignId: question.campaignId, forkedFrom: question.forkedFrom },
      });
      return true;
    });
  }

  /** Replaces the draft (its test no longer applies), audited with the field diff. */
  async saveDraft(key: string, draft: JsonValue, actor: string, details: Details): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      await tx.llmQuestionDef.update({ where: { key }, data: { draft: draft as InputJsonValue, draftUpdatedBy: actor, draftUpdatedAt: new Date(), draftTest: Prisma.DbNull } });
      await this.audit.appendWithin(tx, { actor, action: 'llm_question.draft_saved', entityType: 'llm_question', entityId: key, details });
    });
  }

  /** Records a test of the draft; false when the draft changed since `draftUpdatedAt`. Audited. */
  async recordDraftTest(key: string, draftUpdatedAt: Date, record: DraftTestRecord): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      const updated = await tx.llmQuestionDef.updateMany({ where: { key, draftUpdatedAt }, data: { draftTest: record as unknown as InputJsonValue } });
      if (updated.count !== 1) return false;
      await this.audit.appendWithin(tx, {
        actor: record.by,
        action: 'llm_question.draft_tested',
        entityType: 'llm_question',
        entityId: key,
        details: { answer: record.answer, verified: record.verified, contentHash: record.contentHash },
      });
      return true;
    });
  }

  /** Writes the next version from the draft, makes it live and clears the draft, audited; null when the draft changed. */
  async publish(key: string, version: NewQuestionVersion, expectedDraftAt: Date, details: Details): Promise<{ number: number } | null> {
    return this.prisma.client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${QUESTION_LOCK})`;
        const row = await tx.llmQuestionDef.findUniqueOrThrow({ where: { key }, select: { id: true, draftUpdatedAt: true, liveVersion: true } });
        if (row.draftUpdatedAt?.getTime() !== expectedDraftAt.getTime()) return null;
        const latest = await tx.llmQuestionVersion.aggregate({ where: { questionId: row.id }, _max: { number: true } });
        const number = (latest._max.number ?? 0) + 1;
        await this.insertVersion(tx, row.id, number, version);
        await tx.llmQuestionDef.update({
          where: { id: row.id },
          data: { liveVersion: number, draft: Prisma.DbNull, draftTest: Prisma.DbNull, draftUpdatedBy: version.actor, draftUpdatedAt: new Date() },
        });
        await this.audit.appendWithin(tx, {
          actor: version.actor,
          action: 'llm_question.published',
          entityType: 'llm_question',
          entityId: key,
          details: { ...details, version: number, previousLive: row.liveVersion, note: version.note },
        });
        return { number };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }

  /** Makes an earlier published version live again, audited. */
  async setLive(key: string, number: number, actor: string, note: string, details: Details): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${QUESTION_LOCK})`;
      await tx.llmQuestionDef.update({ where: { key }, data: { liveVersion: number } });
      await this.audit.appendWithin(tx, { actor, action: 'llm_question.rolled_back', entityType: 'llm_question', entityId: key, details: { ...details, version: number, note } });
    });
  }

  async settings(campaignId: string): Promise<CampaignLlmSettingsRecord> {
    const row = await this.prisma.client.campaignLlmSettings.findUnique({ where: { campaignId }, select: { disabledQuestions: true, dailyCostCeilingUsd: true } });
    return row ?? { disabledQuestions: [], dailyCostCeilingUsd: null };
  }

  async setSettings(campaignId: string, settings: CampaignLlmSettingsRecord, actor: string, details: Details): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      const data = { disabledQuestions: [...settings.disabledQuestions], dailyCostCeilingUsd: settings.dailyCostCeilingUsd, updatedBy: actor };
      await tx.campaignLlmSettings.upsert({ where: { campaignId }, create: { campaignId, ...data }, update: data });
      await this.audit.appendWithin(tx, {
        actor,
        action: 'campaign.llm_settings_set',
        entityType: 'campaign',
        entityId: campaignId,
        details: { ...details, disabledQuestions: [...settings.disabledQuestions], dailyCostCeilingUsd: settings.dailyCostCeilingUsd },
      });
    });
  }

  /**
   * The live question versions a call runs: the system questions and the campaign's own, less those the campaign
   * switched off, with its daily cost ceiling. Two queries, in parallel.
   */
  async liveFor(campaignId: string | null): Promise<{ questions: LiveQuestion[]; dailyCostCeilingUsd: number | null }> {
    const [settings, rows] = await Promise.all([
      campaignId ? this.settings(campaignId) : Promise.resolve({ disabledQuestions: [], dailyCostCeilingUsd: null }),
      // only each question's live version is read, however many versions it has
      campaignId
        ? this.prisma.client.$queryRaw<LiveQuestion[]>`
            SELECT d.key, v.number, v.content FROM "LlmQuestionDef" d
            JOIN "LlmQuestionVersion" v ON v."questionId" = d.id AND v.number = d."liveVersion"
            WHERE d.system OR d."campaignId" = ${campaignId}::uuid ORDER BY d.key`
        : this.prisma.client.$queryRaw<LiveQuestion[]>`
            SELECT d.key, v.number, v.content FROM "LlmQuestionDef" d
            JOIN "LlmQuestionVersion" v ON v."questionId" = d.id AND v.number = d."liveVersion"
            WHERE d.system ORDER BY d.key`,
    ]);
    const off = new Set(settings.disabledQuestions);
    const questions = rows.filter((r) => !off.has(r.key));
    return { questions, dailyCostCeilingUsd: settings.dailyCostCeilingUsd };
  }

  /** USD the LLM checks of a campaign's calls recorded since `since` (calls re-checked count once, at their last run). */
  async spentSince(campaignId: string, since: Date): Promise<number> {
    const sum = await this.prisma.client.llmCheckRun.aggregate({ where: { updatedAt: { gte: since }, call: { campaignId } }, _sum: { costUsd: true } });
    return sum._sum.costUsd ?? 0;
  }

  /** Answers per question over the last `days` days (a campaign's calls, or all), and how many were discarded. */
  async answerCounts(campaignId: string | null, days: number): Promise<QuestionAnswerCounts[]> {
    const since = new Date(Date.now() - days * 86_400_000);
    const rows = campaignId
      ? await this.prisma.client.$queryRaw<{ questionId: string; answers: bigint; discarded: bigint }[]>`
          SELECT a->>'questionId' AS "questionId", count(*) AS answers, count(*) FILTER (WHERE (a->>'verified')::boolean IS NOT TRUE) AS discarded
          FROM "LlmCheckRun" r JOIN "Call" c ON c.id = r."callId", jsonb_array_elements(r.answers) a
          WHERE r."updatedAt" >= ${since} AND c."campaignId" = ${campaignId}::uuid GROUP BY 1`
      : await this.prisma.client.$queryRaw<{ questionId: string; answers: bigint; discarded: bigint }[]>`
          SELECT a->>'questionId' AS "questionId", count(*) AS answers, count(*) FILTER (WHERE (a->>'verified')::boolean IS NOT TRUE) AS discarded
          FROM "LlmCheckRun" r, jsonb_array_elements(r.answers) a
          WHERE r."updatedAt" >= ${since} GROUP BY 1`;
    return rows.map((r) => ({ questionId: r.questionId, answers: Number(r.answers), discarded: Number(r.discarded) }));
  }

  private async insertVersion(tx: AuditTransaction, questionId: string, number: number, version: NewQuestionVersion): Promise<void> {
    await tx.llmQuestionVersion.create({
      data: { questionId, number, content: version.content as InputJsonValue, contentHash: version.contentHash, note: version.note, publishedBy: version.actor },
    });
  }
}

function questionOf(row: {
  key: string;
  system: boolean;
  campaignId: string | null;
  forkedFrom: string | null;
  liveVersion: number | null;
  draft: unknown;
  draftUpdatedBy: string | null;
  draftUpdatedAt: Date | null;
  draftTest: unknown;
  createdBy: string;
  createdAt: Date;
  versions: (LlmQuestionVersionSummary & { content: unknown })[];
}): StoredLlmQuestion {
  const { versions, draftTest, ...rest } = row;
  return {
    ...rest,
    draftTest: (draftTest ?? null) as DraftTestRecord | null,
    versions: versions.map(({ content: _content, ...v }) => v),
    liveContent: versions.find((v) => v.number === row.liveVersion)?.content ?? null,
  };
}
