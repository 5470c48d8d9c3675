import { Injectable } from '@nestjs/common';
import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma.service.js';
import { writeFindings } from './finding-write.js';

export interface RecheckScope {
  /** call start, inclusive */
  from: Date;
  /** call start, exclusive */
  to: Date;
  campaignId?: string;
}

/** One stored call as a re-check reads it: what the rules need and nothing else. */
export interface RecheckCall {
  id: string;
  campaignId: string | null;
  durationSeconds: number | null;
  rulePolicies: string[];
  /** the transcript without its segments, which come as their stored JSON text (parsed where the rules run) */
  transcript: Omit<NormalisedTranscript, 'segments'>;
  segmentsJson: string;
}

/** A rule finding as stored, with the fields a re-check compares. */
export interface StoredRuleFinding {
  id: string;
  callId: string;
  dedupeKey: string;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  dimension: string;
  description: string;
  evidenceText: string | null;
  segmentIndex: number | null;
  charStart: number | null;
  charEnd: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
}

interface PageRow {
  id: string;
  campaignId: string | null;
  durationSeconds: number | null;
  rulePolicies: string[] | null;
  provider: string;
  language: string | null;
  rolesSource: NormalisedTranscript['rolesSource'];
  rolesConfidence: number | null;
  segments: string;
}

/**
 * The batched reads and writes of a bulk re-check: a page of completed calls with their transcripts in one query,
 * their rule findings in one more, and the difference written back in two statements (delete, upsert).
 */
@Injectable()
export class RecheckRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Completed calls with a transcript in scope. */
  async count(scope: RecheckScope): Promise<number> {
    const rows = await this.prisma.client.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "Call" c JOIN "Transcript" t ON t."callId" = c.id
      WHERE c.status = 'completed' AND c."startedAt" >= ${scope.from} AND c."startedAt" < ${scope.to}
        AND (${scope.campaignId ?? null}::uuid IS NULL OR c."campaignId" = ${scope.campaignId ?? null}::uuid)`;
    return Number(rows[0]?.n ?? 0);
  }

  /** The next page of completed calls in scope after `afterId` (call id order), transcripts included. */
  async page(scope: RecheckScope, afterId: string | null, limit: number): Promise<RecheckCall[]> {
    const rows = await this.prisma.client.$queryRaw<PageRow[]>`
      SELECT c.id, c."campaignId", c."durationSeconds", cp."rulePolicies", t.provider, t.language, t."rolesSource"::text AS "rolesSource",
        t."rolesConfidence", t.segments::text AS segments
      FROM "Call" c JOIN "Transcript" t ON t."callId" = c.id LEFT JOIN "Campaign" cp ON cp.id = c."campaignId"
      WHERE c.status = 'completed' AND c."startedAt" >= ${scope.from} AND c."startedAt" < ${scope.to}
        AND (${scope.campaignId ?? null}::uuid IS NULL OR c."campaignId" = ${scope.campaignId ?? null}::uuid)
        AND (${afterId}::uuid IS NULL OR c.id > ${afterId}::uuid)
      ORDER BY c.id LIMIT ${limit}`;
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaignId,
      durationSeconds: r.durationSeconds,
      rulePolicies: r.rulePolicies ?? [],
      transcript: {
        provider: r.provider,
        rolesSource: r.rolesSource,
        ...(r.language !== null ? { language: r.language } : {}),
        ...(r.rolesConfidence !== null ? { rolesConfidence: r.rolesConfidence } : {}),
      },
      segmentsJson: r.segments,
    }));
  }

  /** The rule-source findings of these calls. */
  async ruleFindings(callIds: readonly string[]): Promise<StoredRuleFinding[]> {
    if (callIds.length === 0) return [];
    return this.prisma.client.$queryRaw<StoredRuleFinding[]>`
      SELECT id, "callId", "dedupeKey", "ruleId", "ruleVersion", family, severity::text AS severity, dimension::text AS dimension, description,
        "evidenceText", "segmentIndex", "charStart", "charEnd", "startSeconds", "endSeconds"
      FROM "Finding" WHERE "callId" = ANY(${[...callIds]}::uuid[]) AND source = 'rule'`;
  }

  /**
   * Writes a re-check's difference in one statement: deletes the findings that went away, upserts the new and the
   * changed ones by (call, dedupe key), so a concurrent check stage or a second run never duplicates a finding.
   * Reviews of kept findings stay (the row is updated, not replaced).
   */
  async applyDiff(deleteIds: readonly string[], upserts: readonly { callId: string; draft: FindingDraft }[]): Promise<void> {
    if (deleteIds.length === 0 && upserts.length === 0) return;
    await writeFindings(this.prisma.sql, Prisma.sql`DELETE FROM "Finding" WHERE id = ANY(${[...deleteIds]}::uuid[]) AND source = 'rule'`, upserts);
  }
}
