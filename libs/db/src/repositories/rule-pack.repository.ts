import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { batchedReads, lowerCase } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { type AuditTransaction, AuditRepository } from './audit.repository.js';

export interface RulePackSummary {
  id: string;
  key: string;
  system: boolean;
  language: string;
  description: string | null;
  forkedFrom: string | null;
  liveVersion: number | null;
  hasDraft: boolean;
  draftUpdatedBy: string | null;
  draftUpdatedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

export interface RulePackVersionSummary {
  number: number;
  semver: string;
  note: string;
  publishedBy: string;
  publishedAt: Date;
}

export interface StoredRulePackVersion extends RulePackVersionSummary {
  id: string;
  packKey: string;
  /** as stored; callers validate it (libs/rules validateRulePack) */
  content: unknown;
  contentHash: string;
}

/** The last backtest of a draft; publish needs one whose contentHash is the draft's. */
export interface DraftBacktestRecord {
  contentHash: string;
  at: string;
  by: string;
  calls: number;
  hits: number;
}

export interface StoredRulePack extends RulePackSummary {
  /** as stored; null when there is no draft */
  draft: unknown;
  draftBacktest: DraftBacktestRecord | null;
  versions: RulePackVersionSummary[];
}

/** livePacksFor's key for the shipped packs (no campaign). */
const SYSTEM_PACKS = '';

/** A pack's live version, enough to tell whether a compiled set is still current. */
export interface LivePackRef {
  key: string;
  versionId: string;
  number: number;
}

export interface NewVersion {
  semver: string;
  content: JsonValue;
  contentHash: string;
  note: string;
  actor: string;
}

export type AuditDetails = Record<string, JsonValue>;

const SUMMARY = {
  id: true,
  key: true,
  system: true,
  language: true,
  description: true,
  forkedFrom: true,
  liveVersion: true,
  draftUpdatedBy: true,
  draftUpdatedAt: true,
  createdBy: true,
  createdAt: true,
} as const;

const VERSION_SUMMARY = { number: true, semver: true, note: true, publishedBy: true, publishedAt: true } as const;

// Any fixed key: seeding, publishing and rollback of packs are serialised so version numbers never collide.
const PACK_LOCK = 4541554402;

/** Rule packs, their drafts and immutable published versions, and which packs each campaign enables. Audited writes. */
@Injectable()
export class RulePackRepository {
  private readonly livePacks = batchedReads<string, LivePackRef[]>(async (keys) => {
    // per key: the campaign's chosen packs in its order, or (no campaign, or one without a choice) the system packs by key
    const campaigns = JSON.stringify(keys.filter((key) => key !== SYSTEM_PACKS));
    const rows = await this.prisma.sql.query<(LivePackRef & { asker: string })[]>`
      WITH asked AS (SELECT ${SYSTEM_PACKS}::text AS asker UNION ALL SELECT jsonb_array_elements_text(${campaigns}::jsonb)),
        chosen AS (SELECT a.asker, r."packKeys" AS keys FROM asked a LEFT JOIN "CampaignRulePacks" r ON r."campaignId" = NULLIF(a.asker, '')::uuid)
      SELECT c.asker, p.key, v.id::text AS "versionId", v.number
      FROM chosen c JOIN "RulePack" p ON CASE WHEN c.keys IS NOT NULL THEN p.key = ANY(c.keys) ELSE p.system END
        JOIN "RulePackVersion" v ON v."packId" = p.id AND v.number = p."liveVersion"
      ORDER BY c.asker, array_position(c.keys, p.key), p.key`;
    const byKey = new Map<string, LivePackRef[]>(keys.map((key) => [key, []]));
    for (const { asker, ...ref } of rows) byKey.get(asker)?.push({ ...ref, number: Number(ref.number) });
    return byKey;
  }, lowerCase);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

  async list(): Promise<RulePackSummary[]> {
    const rows = await this.prisma.client.rulePack.findMany({ select: { ...SUMMARY, draft: true }, orderBy: [{ system: 'desc' }, { key: 'asc' }] });
    return rows.map(({ draft, ...row }) => ({ ...row, hasDraft: draft !== null }));
  }

  async find(key: string): Promise<StoredRulePack | null> {
    const row = await this.prisma.client.rulePack.findUnique({
      where: { key },
      select: { ...SUMMARY, draft: true, draftBacktest: true, versions: { select: VERSION_SUMMARY, orderBy: { number: 'desc' } } },
    });
    return row ? { ...row, hasDraft: row.draft !== null, draftBacktest: (row.draftBacktest ?? null) as DraftBacktestRecord | null } : null;
  }

  async version(key: string, number: number): Promise<StoredRulePackVersion | null> {
    const row = await this.prisma.client.rulePackVersion.findFirst({
      where: { number, pack: { key } },
      select: { ...VERSION_SUMMARY, id: true, content: true, contentHash: true, pack: { select: { key: true } } },
    });
    return row ? versionOf(row) : null;
  }

  async versionsById(ids: readonly string[]): Promise<StoredRulePackVersion[]> {
    const rows = await this.prisma.client.rulePackVersion.findMany({
      where: { id: { in: [...ids] } },
      select: { ...VERSION_SUMMARY, id: true, content: true, contentHash: true, pack: { select: { key: true } } },
    });
    return rows.map(versionOf);
  }

  /** Every published version of the shipped packs (their regexes are trusted in forks). */
  async systemVersions(): Promise<StoredRulePackVersion[]> {
    const rows = await this.prisma.client.rulePackVersion.findMany({
      where: { pack: { system: true } },
      select: { ...VERSION_SUMMARY, id: true, content: true, contentHash: true, pack: { select: { key: true } } },
    });
    return rows.map(versionOf);
  }

  /** Campaigns that chose packs including `key`, with their whole choice. */
  async campaignsEnabling(key: string): Promise<{ campaignId: string; packKeys: string[] }[]> {
    return this.prisma.client.campaignRulePacks.findMany({ where: { packKeys: { has: key } }, select: { campaignId: true, packKeys: true } });
  }

  /** Records a backtest of the draft; false when the draft changed since `draftUpdatedAt` (the result is then stale). */
  async recordDraftBacktest(key: string, draftUpdatedAt: Date, record: DraftBacktestRecord): Promise<boolean> {
    const updated = await this.prisma.client.rulePack.updateMany({ where: { key, draftUpdatedAt }, data: { draftBacktest: record as unknown as InputJsonValue } });
    return updated.count === 1;
  }

  /**
   * Makes `content` the live version of a system pack unless its latest version already has this content hash;
   * creates the pack on first sight. Returns the version number now live and whether it was added.
   */
  async seedSystem(pack: { key: string; language: string; description: string | null }, version: NewVersion): Promise<{ number: number; added: boolean }> {
    return this.prisma.client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PACK_LOCK})`;
        const row = await tx.rulePack.upsert({
          where: { key: pack.key },
          create: { key: pack.key, system: true, language: pack.language, description: pack.description, createdBy: version.actor },
          update: { language: pack.language, description: pack.description },
          select: { id: true, system: true },
        });
        if (!row.system) throw new Error(`rule pack ${pack.key} exists as a campaign pack; a shipped pack cannot take its key`);
        const latest = await tx.rulePackVersion.findFirst({ where: { packId: row.id }, orderBy: { number: 'desc' }, select: { number: true, contentHash: true } });
        if (latest?.contentHash === version.contentHash) return { number: latest.number, added: false };
        const number = (latest?.number ?? 0) + 1;
        await this.insertVersion(tx, row.id, number, version);
        await tx.rulePack.update({ where: { id: row.id }, data: { liveVersion: number } });
        await this.audit.appendWithin(tx, {
          actor: version.actor,
          action: 'rule_pack.seeded',
          entityType: 'rule_pack',
          entityId: pack.key,
          details: { version: number, semver: version.semver, note: version.note },
        });
        return { number, added: true };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }

  /** A new campaign pack with a draft; null when the key is taken. */
  async create(
    pack: { key: string; language: string; description: string | null; forkedFrom: string | null; draft: JsonValue; actor: string },
    details: AuditDetails,
  ): Promise<RulePackSummary | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const taken = await tx.rulePack.findUnique({ where: { key: pack.key }, select: { id: true } });
      if (taken) return null;
      const row = await tx.rulePack.create({
        data: {
          key: pack.key,
          language: pack.language,
          description: pack.description,
          forkedFrom: pack.forkedFrom,
          draft: pack.draft as InputJsonValue,
          draftUpdatedBy: pack.actor,
          draftUpdatedAt: new Date(),
          createdBy: pack.actor,
        },
        select: SUMMARY,
      });
      await this.audit.appendWithin(tx, { actor: pack.actor, action: pack.forkedFrom ? 'rule_pack.forked' : 'rule_pack.created', entityType: 'rule_pack', entityId: pack.key, details });
      return { ...row, hasDraft: true };
    });
  }

  /** Replaces the draft (its backtest no longer applies), audited; returns the draft's new timestamp. */
  async saveDraft(key: string, draft: JsonValue, language: string, description: string | null, actor: string, details: AuditDetails): Promise<Date> {
    return this.prisma.client.$transaction(async (tx) => {
      const at = new Date();
      await tx.rulePack.update({
        where: { key },
        data: { draft: draft as InputJsonValue, language, description, draftUpdatedBy: actor, draftUpdatedAt: at, draftBacktest: Prisma.DbNull },
      });
      await this.audit.appendWithin(tx, { actor, action: 'rule_pack.draft_saved', entityType: 'rule_pack', entityId: key, details });
      return at;
    });
  }

  async discardDraft(key: string, actor: string): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      await tx.rulePack.update({ where: { key }, data: { draft: Prisma.DbNull, draftBacktest: Prisma.DbNull, draftUpdatedBy: actor, draftUpdatedAt: new Date() } });
      await this.audit.appendWithin(tx, { actor, action: 'rule_pack.draft_discarded', entityType: 'rule_pack', entityId: key });
    });
  }

  /**
   * Writes the next version from the draft, makes it live and clears the draft, audited, in one transaction.
   * `expectedDraftAt` guards against publishing a draft someone changed after it was checked: null on mismatch.
   */
  async publish(key: string, version: NewVersion, expectedDraftAt: Date | null, details: AuditDetails): Promise<{ number: number } | null> {
    return this.prisma.client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PACK_LOCK})`;
        const pack = await tx.rulePack.findUniqueOrThrow({ where: { key }, select: { id: true, draftUpdatedAt: true, liveVersion: true } });
        if (expectedDraftAt !== null && pack.draftUpdatedAt?.getTime() !== expectedDraftAt.getTime()) return null;
        const latest = await tx.rulePackVersion.aggregate({ where: { packId: pack.id }, _max: { number: true } });
        const number = (latest._max.number ?? 0) + 1;
        await this.insertVersion(tx, pack.id, number, version);
        await tx.rulePack.update({ where: { id: pack.id }, data: { liveVersion: number, draft: Prisma.DbNull, draftBacktest: Prisma.DbNull, draftUpdatedBy: version.actor, draftUpdatedAt: new Date() } });
        await this.audit.appendWithin(tx, {
          actor: version.actor,
          action: 'rule_pack.published',
          entityType: 'rule_pack',
          entityId: key,
          details: { ...details, version: number, previousLive: pack.liveVersion, semver: version.semver, note: version.note },
        });
        return { number };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }

  /** Makes an earlier published version live again, audited. */
  async setLive(key: string, number: number, actor: string, note: string, details: AuditDetails): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${PACK_LOCK})`;
      const pack = await tx.rulePack.update({ where: { key }, data: { liveVersion: number }, select: { id: true } });
      await this.audit.appendWithin(tx, { actor, action: 'rule_pack.rolled_back', entityType: 'rule_pack', entityId: key, details: { ...details, version: number, note, packId: pack.id } });
    });
  }

  /** The pack keys a campaign enables, in order; null when it never chose (the system packs run). */
  async campaignPackKeys(campaignId: string): Promise<string[] | null> {
    const row = await this.prisma.client.campaignRulePacks.findUnique({ where: { campaignId }, select: { packKeys: true } });
    return row?.packKeys ?? null;
  }

  async setCampaignPackKeys(campaignId: string, keys: readonly string[], actor: string, details: AuditDetails): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      await tx.campaignRulePacks.upsert({
        where: { campaignId },
        create: { campaignId, packKeys: [...keys], updatedBy: actor },
        update: { packKeys: [...keys], updatedBy: actor },
      });
      await this.audit.appendWithin(tx, { actor, action: 'campaign.rule_packs_set', entityType: 'campaign', entityId: campaignId, details: { ...details, packs: [...keys] } });
    });
  }

  /**
   * The live versions a campaign runs: its chosen packs in its order (unpublished ones are left out), or every
   * system pack when it never chose or there is no campaign. Every call's check stage asks: concurrent jobs' reads go
   * in one query (see batchedReads).
   */
  async livePacksFor(campaignId: string | null): Promise<LivePackRef[]> {
    return (await this.livePacks.submit(campaignId ?? SYSTEM_PACKS)) ?? [];
  }

  private async insertVersion(tx: AuditTransaction, packId: string, number: number, version: NewVersion): Promise<void> {
    await tx.rulePackVersion.create({
      data: {
        packId,
        number,
        semver: version.semver,
        content: version.content as InputJsonValue,
        contentHash: version.contentHash,
        note: version.note,
        publishedBy: version.actor,
      },
    });
  }
}


function versionOf(row: {
  id: string;
  number: number;
  semver: string;
  note: string;
  publishedBy: string;
  publishedAt: Date;
  content: unknown;
  contentHash: string;
  pack: { key: string };
}): StoredRulePackVersion {
  const { pack, ...rest } = row;
  return { ...rest, packKey: pack.key };
}
