import { Injectable } from '@nestjs/common';
import type { TranscriptSegment } from '#libs/domain';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma.service.js';
import { type KeysetPage, NEWEST_FIRST, keysetBefore } from './keyset-page.js';

export type ExampleLabelName = 'good' | 'bad';

export interface LibraryCollectionRecord {
  id: string;
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  itemCount: number;
}

export interface LibraryItemRecord {
  id: string;
  collectionId: string;
  callId: string;
  findingId: string | null;
  startSeconds: number;
  endSeconds: number;
  label: ExampleLabelName;
  topics: string[];
  notes: string | null;
  createdBy: string;
  createdAt: Date;
  /** the call the example comes from, so a trainer sees it without a second request */
  call: { startedAt: Date; agent: string | null; campaign: string | null };
  finding: { ruleId: string; severity: string; hasClip: boolean } | null;
  collection: { id: string; name: string };
}

export interface NewLibraryItem {
  callId: string;
  findingId: string | null;
  startSeconds: number;
  endSeconds: number;
  label: ExampleLabelName;
  topics: string[];
  notes: string | null;
  createdBy: string;
}

export interface LibraryItemPatch {
  label?: ExampleLabelName;
  topics?: string[];
  notes?: string | null;
}

export interface LibraryItemFilter {
  topic?: string;
  label?: ExampleLabelName;
  collectionId?: string;
}

/** What an item made from a finding needs: the finding's call and time span. */
export interface FindingSpan {
  id: string;
  callId: string;
  startSeconds: number | null;
  endSeconds: number | null;
}

export interface ExampleQuery {
  /** scorecard criterion id: only calls whose evaluation failed it */
  criterionId?: string;
  campaignExternalId?: string;
  agentExternalId?: string;
  /** call start, inclusive */
  from: Date;
  /** call start, exclusive */
  to: Date;
  order: 'worst' | 'best';
  limit: number;
}

export interface ExampleFinding {
  id: string;
  ruleId: string;
  severity: string;
  startSeconds: number | null;
  endSeconds: number | null;
  hasClip: boolean;
}

export interface ExampleCall {
  callId: string;
  startedAt: Date;
  agent: { externalId: string; name: string } | null;
  campaign: string | null;
  score: number;
  autoFailed: boolean;
  scorecard: { name: string; version: number };
  /** the asked criterion's result on this call; null when no criterion was asked or the scorecard lacks it */
  criterion: { criterionId: string; label: string; result: string; weight: number; findings: ExampleFinding[] } | null;
}

/** Everything an export reads about one item's call: where its recordings are and its transcript. */
export interface ExportCallSource {
  callId: string;
  audioKey: string;
  redactedAudioKey: string | null;
  audioDeletedAt: Date | null;
  durationSeconds: number | null;
  transcript: { segments: TranscriptSegment[]; redactedSegments: TranscriptSegment[] | null } | null;
}

export interface ExportSources {
  collection: { id: string; name: string; description: string | null };
  items: (LibraryItemRecord & { clipKey: string | null })[];
  calls: Map<string, ExportCallSource>;
}

const itemInclude = {
  call: { select: { startedAt: true, agent: { select: { externalId: true } }, campaign: { select: { externalId: true } } } },
  finding: { select: { ruleId: true, severity: true, clipKey: true } },
  collection: { select: { id: true, name: true } },
} satisfies Prisma.LibraryItemInclude;
type ItemRow = Prisma.LibraryItemGetPayload<{ include: typeof itemInclude }>;

const ITEM_ORDER = [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.LibraryItemOrderByWithRelationInput[];

/** The trainer library: collections of good and bad example spans of calls, and the queries that find examples. */
@Injectable()
export class LibraryRepository {
  constructor(private readonly prisma: PrismaService) {}

  async createCollection(input: { name: string; description: string | null; createdBy: string }): Promise<LibraryCollectionRecord> {
    const row = await this.prisma.client.libraryCollection.create({ data: input });
    return { ...row, itemCount: 0 };
  }

  /** Newest first, keyset-paginated by (createdAt, id). */
  async listCollections(page: KeysetPage): Promise<LibraryCollectionRecord[]> {
    const rows = await this.prisma.client.libraryCollection.findMany({
      where: keysetBefore(page.cursor),
      orderBy: NEWEST_FIRST,
      take: page.limit,
      include: { _count: { select: { items: true } } },
    });
    return rows.map(({ _count, ...row }) => ({ ...row, itemCount: _count.items }));
  }

  /** The collection with its items, oldest item first; null when it does not exist. */
  async findCollection(id: string): Promise<(LibraryCollectionRecord & { items: LibraryItemRecord[] }) | null> {
    const row = await this.prisma.client.libraryCollection.findUnique({
      where: { id },
      include: { items: { include: itemInclude, orderBy: ITEM_ORDER } },
    });
    if (!row) return null;
    const { items, ...collection } = row;
    return { ...collection, itemCount: items.length, items: items.map(toItemRecord) };
  }

  async updateCollection(id: string, patch: { name?: string; description?: string | null }): Promise<LibraryCollectionRecord | null> {
    const { count } = await this.prisma.client.libraryCollection.updateMany({ where: { id }, data: patch });
    if (count === 0) return null;
    const row = await this.prisma.client.libraryCollection.findUnique({ where: { id }, include: { _count: { select: { items: true } } } });
    if (!row) return null;
    const { _count, ...collection } = row;
    return { ...collection, itemCount: _count.items };
  }

  /** Deletes the collection and its items (the calls and findings stay); false when it did not exist. */
  async deleteCollection(id: string): Promise<boolean> {
    const { count } = await this.prisma.client.libraryCollection.deleteMany({ where: { id } });
    return count > 0;
  }

  async findFindingSpan(findingId: string): Promise<FindingSpan | null> {
    return this.prisma.client.finding.findUnique({
      where: { id: findingId },
      select: { id: true, callId: true, startSeconds: true, endSeconds: true },
    });
  }

  /** The call's length: its recorded duration, else the measured one; null when the call does not exist. */
  async findCallDuration(callId: string): Promise<{ durationSeconds: number | null } | null> {
    const row = await this.prisma.client.call.findUnique({
      where: { id: callId },
      select: { durationSeconds: true, metrics: { select: { durationSeconds: true } } },
    });
    return row ? { durationSeconds: row.durationSeconds ?? row.metrics?.durationSeconds ?? null } : null;
  }

  /** Adds the item; null when the collection does not exist. Touches the collection's updatedAt. */
  async addItem(collectionId: string, item: NewLibraryItem): Promise<LibraryItemRecord | null> {
    const { count } = await this.prisma.client.libraryCollection.updateMany({ where: { id: collectionId }, data: { updatedAt: new Date() } });
    if (count === 0) return null;
    try {
      const row = await this.prisma.client.libraryItem.create({ data: { collectionId, ...item }, include: itemInclude });
      return toItemRecord(row);
    } catch (error) {
      // the collection was deleted between the two statements
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return null;
      throw error;
    }
  }

  async updateItem(collectionId: string, itemId: string, patch: LibraryItemPatch): Promise<LibraryItemRecord | null> {
    const { count } = await this.prisma.client.libraryItem.updateMany({ where: { id: itemId, collectionId }, data: patch });
    if (count === 0) return null;
    const row = await this.prisma.client.libraryItem.findUnique({ where: { id: itemId }, include: itemInclude });
    return row ? toItemRecord(row) : null;
  }

  async deleteItem(collectionId: string, itemId: string): Promise<boolean> {
    const { count } = await this.prisma.client.libraryItem.deleteMany({ where: { id: itemId, collectionId } });
    return count > 0;
  }

  /** Items across collections, newest first, keyset-paginated by (createdAt, id). `topic` must be normalised. */
  async searchItems(filter: LibraryItemFilter, page: KeysetPage): Promise<LibraryItemRecord[]> {
    const rows = await this.prisma.client.libraryItem.findMany({
      where: {
        ...(filter.topic ? { topics: { has: filter.topic } } : {}),
        ...(filter.label ? { label: filter.label } : {}),
        ...(filter.collectionId ? { collectionId: filter.collectionId } : {}),
        ...keysetBefore(page.cursor),
      },
      orderBy: NEWEST_FIRST,
      take: page.limit,
      include: itemInclude,
    });
    return rows.map(toItemRecord);
  }

  /**
   * Evaluated calls started in [from, to), ordered by score (worst: lowest first), newest call first among equal
   * scores. With a criterion, only calls whose evaluation failed it, each with that criterion's findings.
   */
  async pullExamples(query: ExampleQuery): Promise<ExampleCall[]> {
    const failed = query.criterionId
      ? Prisma.sql`AND e.criteria @> ${JSON.stringify([{ criterionId: query.criterionId, result: 'fail' }])}::jsonb`
      : Prisma.empty;
    const campaign = query.campaignExternalId ? Prisma.sql`AND cp."externalId" = ${query.campaignExternalId}` : Prisma.empty;
    const agent = query.agentExternalId ? Prisma.sql`AND a."externalId" = ${query.agentExternalId}` : Prisma.empty;
    const direction = query.order === 'best' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
    const rows = await this.prisma.client.$queryRaw<
      {
        callId: string;
        startedAt: Date;
        agentExternalId: string | null;
        agentName: string | null;
        campaign: string | null;
        score: number;
        autoFailed: boolean;
        scorecardName: string;
        scorecardVersion: number;
        criteria: unknown;
      }[]
    >`
      SELECT c.id::text AS "callId", c."startedAt", a."externalId" AS "agentExternalId", a.name AS "agentName",
             cp."externalId" AS campaign, e.score, e."autoFailed", e."scorecardName", e."scorecardVersion", e.criteria
      FROM "Evaluation" e
      JOIN "Call" c ON c.id = e."callId"
      LEFT JOIN "Agent" a ON a.id = c."agentId"
      LEFT JOIN "Campaign" cp ON cp.id = c."campaignId"
      WHERE c."startedAt" >= ${query.from} AND c."startedAt" < ${query.to} ${failed} ${campaign} ${agent}
      ORDER BY e.score ${direction}, c."startedAt" DESC, c.id ASC
      LIMIT ${query.limit}`;

    const picked = rows.map((row) => ({ row, criterion: query.criterionId ? pickCriterion(row.criteria, query.criterionId) : null }));
    const findingIds = [...new Set(picked.flatMap((p) => p.criterion?.findingIds ?? []))];
    const findings = findingIds.length
      ? await this.prisma.client.finding.findMany({
          where: { id: { in: findingIds } },
          select: { id: true, ruleId: true, severity: true, startSeconds: true, endSeconds: true, clipKey: true },
        })
      : [];
    const byId = new Map(findings.map(({ clipKey, ...f }) => [f.id, { ...f, hasClip: clipKey !== null }]));
    return picked.map(({ row, criterion }) => ({
      callId: row.callId,
      startedAt: row.startedAt,
      agent: row.agentExternalId ? { externalId: row.agentExternalId, name: row.agentName ?? row.agentExternalId } : null,
      campaign: row.campaign,
      score: Number(row.score),
      autoFailed: row.autoFailed,
      scorecard: { name: row.scorecardName, version: Number(row.scorecardVersion) },
      criterion: criterion
        ? {
            criterionId: criterion.criterionId,
            label: criterion.label,
            result: criterion.result,
            weight: criterion.weight,
            findings: criterion.findingIds.flatMap((id) => byId.get(id) ?? []),
          }
        : null,
    }));
  }

  /** The collection's items with their finding clips, and each of their calls' recordings and transcripts. */
  async exportSources(collectionId: string): Promise<ExportSources | null> {
    const collection = await this.prisma.client.libraryCollection.findUnique({
      where: { id: collectionId },
      select: { id: true, name: true, description: true, items: { include: itemInclude, orderBy: ITEM_ORDER } },
    });
    if (!collection) return null;
    const callIds = [...new Set(collection.items.map((item) => item.callId))];
    const calls = await this.prisma.client.call.findMany({
      where: { id: { in: callIds } },
      select: {
        id: true,
        audioKey: true,
        redactedAudioKey: true,
        audioDeletedAt: true,
        durationSeconds: true,
        transcript: { select: { segments: true, redactedSegments: true } },
      },
    });
    const { items, ...meta } = collection;
    return {
      collection: meta,
      items: items.map((row) => ({ ...toItemRecord(row), clipKey: row.finding?.clipKey ?? null })),
      calls: new Map(
        calls.map((call) => [
          call.id,
          {
            callId: call.id,
            audioKey: call.audioKey,
            redactedAudioKey: call.redactedAudioKey,
            audioDeletedAt: call.audioDeletedAt,
            durationSeconds: call.durationSeconds,
            transcript: call.transcript
              ? {
                  segments: call.transcript.segments as unknown as TranscriptSegment[],
                  redactedSegments: (call.transcript.redactedSegments ?? null) as unknown as TranscriptSegment[] | null,
                }
              : null,
          },
        ]),
      ),
    };
  }
}

function toItemRecord(row: ItemRow): LibraryItemRecord {
  const { call, finding, collection, ...item } = row;
  return {
    ...item,
    call: { startedAt: call.startedAt, agent: call.agent?.externalId ?? null, campaign: call.campaign?.externalId ?? null },
    finding: finding ? { ruleId: finding.ruleId, severity: finding.severity, hasClip: finding.clipKey !== null } : null,
    collection,
  };
}

function pickCriterion(
  criteria: unknown,
  criterionId: string,
): { criterionId: string; label: string; result: string; weight: number; findingIds: string[] } | null {
  if (!Array.isArray(criteria)) return null;
  const found = (criteria as Record<string, unknown>[]).find((c) => c?.criterionId === criterionId);
  if (!found) return null;
  return {
    criterionId,
    label: typeof found.label === 'string' ? found.label : criterionId,
    result: typeof found.result === 'string' ? found.result : 'na',
    weight: typeof found.weight === 'number' ? found.weight : 0,
    findingIds: Array.isArray(found.findingIds) ? found.findingIds.filter((id): id is string => typeof id === 'string') : [],
  };
}
