import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import type { FindingEvidence, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { SEARCHABLE_VERSION, type SearchableTranscript, decodeSearchSegments } from '#libs/rules';
import { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';

export type RuleBacktestRunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface RuleBacktestRunRecord {
  id: string;
  packKey: string;
  status: RuleBacktestRunStatus;
  processed: number;
  limit: number;
  request: unknown;
  result: unknown;
  error: string | null;
  requestedBy: string;
  cancelRequestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a backtest reads of one call: its transcript and its findings a person reviewed. */
export interface BacktestCallInput {
  transcript: NormalisedTranscript;
  reviewed: { ruleId: string; family?: string; reviewState: 'confirmed' | 'dismissed'; evidence: FindingEvidence }[];
}

/** Which stored calls a backtest reads (the call list's filter, as far as a backtest uses it). */
export interface BacktestCallFilter {
  from?: Date;
  to?: Date;
  agentExternalId?: string;
  campaignExternalId?: string;
}

/**
 * One call of a backtest page: what the rules need. A call whose transcript has a current searchable form comes
 * with that form only when it contains one of the phrases the page was narrowed by (else with neither: no rule can
 * fire on it); a transcript stored before searchable forms existed comes whole.
 */
export interface BacktestPageCall {
  id: string;
  createdAt: Date;
  durationSeconds: number | null;
  rulePolicies: string[];
  hasTranscript: boolean;
  searchable: SearchableTranscript | null;
  transcript: NormalisedTranscript | null;
}

/** Background backtests of drafts: progress, cancellation and the finished report. */
@Injectable()
export class RuleBacktestRunRepository {
  constructor(private readonly prisma: PrismaService) {}

  async start(packKey: string, limit: number, request: JsonValue, requestedBy: string): Promise<RuleBacktestRunRecord> {
    return this.prisma.client.ruleBacktestRun.create({ data: { packKey, limit, request: request as InputJsonValue, requestedBy } });
  }

  async find(id: string): Promise<RuleBacktestRunRecord | null> {
    return this.prisma.client.ruleBacktestRun.findUnique({ where: { id } });
  }

  /** Records progress; returns false when a cancel was asked for (the run should stop). */
  async progress(id: string, processed: number): Promise<boolean> {
    const row = await this.prisma.client.ruleBacktestRun.update({ where: { id }, data: { processed }, select: { cancelRequestedAt: true } });
    return row.cancelRequestedAt === null;
  }

  /** Asks a running backtest to stop; false when it is no longer running. */
  async requestCancel(id: string): Promise<boolean> {
    const updated = await this.prisma.client.ruleBacktestRun.updateMany({ where: { id, status: 'running' }, data: { cancelRequestedAt: new Date() } });
    return updated.count === 1;
  }

  async finish(id: string, status: Exclude<RuleBacktestRunStatus, 'running'>, outcome: { result?: JsonValue; error?: string; processed?: number }): Promise<void> {
    await this.prisma.client.ruleBacktestRun.update({
      where: { id },
      data: {
        status,
        ...(outcome.result !== undefined ? { result: outcome.result as InputJsonValue } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.processed !== undefined ? { processed: outcome.processed } : {}),
      },
    });
  }

  /**
   * The next `limit` calls of the scope newest first (the call list's order) after `cursor`, in one query. Of each
   * transcript it reads the searchable form, and only where it contains one of `phrases` (all when null): Postgres
   * narrows the calls, and the JSON segments are read only for transcripts that have no current searchable form.
   */
  async backtestPage(filter: BacktestCallFilter, cursor: { createdAt: Date; id: string } | null, limit: number, phrases: readonly string[] | null): Promise<BacktestPageCall[]> {
    const patterns = phrases === null ? null : phrases.map((p) => `%${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const after = cursor ? Prisma.sql`AND (c."createdAt", c.id) < (${cursor.createdAt}::timestamp, ${cursor.id}::uuid)` : Prisma.empty;
    // OFFSET 0 keeps the inner query apart, so each searchable text is decompressed once for both the search and the answer
    const rows = await this.prisma.client.$queryRaw<
      {
        id: string;
        createdAt: Date;
        durationSeconds: number | null;
        rulePolicies: string[] | null;
        provider: string | null;
        language: string | null;
        rolesSource: string | null;
        rolesConfidence: number | null;
        searchable: string | null;
        segments: string | null;
      }[]
    >`
      SELECT id, "createdAt", "durationSeconds", "rulePolicies", provider, language, "rolesSource", "rolesConfidence",
        CASE WHEN text IS NOT NULL AND (${patterns}::text[] IS NULL OR text LIKE ANY(${patterns}::text[])) THEN "searchSegments" || E'\\n' || text END AS searchable,
        CASE WHEN text IS NULL THEN segments::text END AS segments
      FROM (
        SELECT page.*, t.provider, t.language, t."rolesSource"::text AS "rolesSource", t."rolesConfidence", t."searchSegments", t.segments,
          CASE WHEN t."searchVersion" = ${SEARCHABLE_VERSION} THEN t."searchText" || '' END AS text
        FROM (
          SELECT c.id, c."createdAt", c."durationSeconds", cp."rulePolicies"
          FROM "Call" c LEFT JOIN "Campaign" cp ON cp.id = c."campaignId" LEFT JOIN "Agent" a ON a.id = c."agentId"
          WHERE (${filter.from ?? null}::timestamp IS NULL OR c."startedAt" >= ${filter.from ?? null}::timestamp)
            AND (${filter.to ?? null}::timestamp IS NULL OR c."startedAt" < ${filter.to ?? null}::timestamp)
            AND (${filter.agentExternalId ?? null}::text IS NULL OR a."externalId" = ${filter.agentExternalId ?? null}::text)
            AND (${filter.campaignExternalId ?? null}::text IS NULL OR cp."externalId" = ${filter.campaignExternalId ?? null}::text)
            ${after}
          ORDER BY c."createdAt" DESC, c.id DESC LIMIT ${limit}
        ) page LEFT JOIN "Transcript" t ON t."callId" = page.id
        OFFSET 0
      ) stored
      ORDER BY "createdAt" DESC, id DESC`;
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      durationSeconds: r.durationSeconds,
      rulePolicies: r.rulePolicies ?? [],
      hasTranscript: r.provider !== null,
      searchable:
        r.searchable === null
          ? null
          : searchableOf(r.searchable, r.language),
      transcript:
        r.segments === null || r.provider === null
          ? null
          : {
              provider: r.provider,
              rolesSource: r.rolesSource as NormalisedTranscript['rolesSource'],
              ...(r.language !== null ? { language: r.language } : {}),
              ...(r.rolesConfidence !== null ? { rolesConfidence: r.rolesConfidence } : {}),
              segments: JSON.parse(r.segments) as TranscriptSegment[],
            },
    }));
  }

  /** Transcripts and reviewed findings of a page of calls in two queries (calls without a transcript are absent). */
  /** The reviewed findings of these calls (what a backtest's precision on reviewed calls compares with). */
  async reviewedFindings(callIds: readonly string[]): Promise<Map<string, BacktestCallInput['reviewed']>> {
    const out = new Map<string, BacktestCallInput['reviewed']>();
    if (callIds.length === 0) return out;
    const findings = await this.prisma.client.finding.findMany({
      where: { callId: { in: [...callIds] }, reviewState: { in: ['confirmed', 'dismissed'] } },
      select: { callId: true, ruleId: true, family: true, reviewState: true, evidenceText: true, segmentIndex: true, charStart: true, charEnd: true, startSeconds: true, endSeconds: true },
    });
    for (const f of findings) {
      const evidence: FindingEvidence = {};
      if (f.evidenceText !== null) evidence.text = f.evidenceText;
      if (f.segmentIndex !== null) evidence.segmentIndex = f.segmentIndex;
      if (f.charStart !== null) evidence.charStart = f.charStart;
      if (f.charEnd !== null) evidence.charEnd = f.charEnd;
      if (f.startSeconds !== null) evidence.startSeconds = f.startSeconds;
      if (f.endSeconds !== null) evidence.endSeconds = f.endSeconds;
      const list = out.get(f.callId) ?? [];
      list.push({ ruleId: f.ruleId, ...(f.family ? { family: f.family } : {}), reviewState: f.reviewState as 'confirmed' | 'dismissed', evidence });
      out.set(f.callId, list);
    }
    return out;
  }

  async backtestInputs(callIds: readonly string[]): Promise<Map<string, BacktestCallInput>> {
    const ids = [...callIds];
    const [transcripts, findings] = await Promise.all([
      this.prisma.client.transcript.findMany({ where: { callId: { in: ids } }, select: { callId: true, provider: true, language: true, rolesSource: true, segments: true } }),
      this.prisma.client.finding.findMany({
        where: { callId: { in: ids }, reviewState: { in: ['confirmed', 'dismissed'] } },
        select: { callId: true, ruleId: true, family: true, reviewState: true, evidenceText: true, segmentIndex: true, charStart: true, charEnd: true, startSeconds: true, endSeconds: true },
      }),
    ]);
    const out = new Map<string, BacktestCallInput>();
    for (const t of transcripts) {
      out.set(t.callId, {
        transcript: { provider: t.provider, language: t.language ?? undefined, rolesSource: t.rolesSource, segments: t.segments as unknown as TranscriptSegment[] },
        reviewed: [],
      });
    }
    for (const f of findings) {
      const evidence: FindingEvidence = {};
      if (f.evidenceText !== null) evidence.text = f.evidenceText;
      if (f.segmentIndex !== null) evidence.segmentIndex = f.segmentIndex;
      if (f.charStart !== null) evidence.charStart = f.charStart;
      if (f.charEnd !== null) evidence.charEnd = f.charEnd;
      if (f.startSeconds !== null) evidence.startSeconds = f.startSeconds;
      if (f.endSeconds !== null) evidence.endSeconds = f.endSeconds;
      out.get(f.callId)?.reviewed.push({ ruleId: f.ruleId, ...(f.family ? { family: f.family } : {}), reviewState: f.reviewState as 'confirmed' | 'dismissed', evidence });
    }
    return out;
  }

  /** Runs left 'running' by a process that stopped (no progress since `before`) are marked failed. */
  async failStale(before: Date): Promise<number> {
    const updated = await this.prisma.client.ruleBacktestRun.updateMany({
      where: { status: 'running', updatedAt: { lt: before } },
      data: { status: 'failed', error: 'the process running it stopped; start it again' },
    });
    return updated.count;
  }
}

/** The page query's searchable column: the stored segments (which hold no newline), a newline, the text. */
function searchableOf(column: string, language: string | null): SearchableTranscript {
  const split = column.indexOf('\n');
  return { text: column.slice(split + 1), ...decodeSearchSegments(column.slice(0, split)), ...(language !== null ? { language } : {}) };
}
