import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { type DatabaseClient, PrismaService } from '../prisma.service.js';
import { isUuid } from '#libs/domain';
import { GroupCommit, batchedReads, lowerCase, singleFlight } from '../group-commit.js';
import { insertRows } from './upsert-rows.js';
import { type KeysetPage, NEWEST_FIRST, keysetBefore } from './keyset-page.js';

export type CallStatus = 'queued' | 'processing' | 'completed' | 'failed';
export type ChannelLayout = 'mono' | 'stereo';

export interface NewCall {
  externalId?: string;
  agentExternalId: string;
  agentName?: string;
  groupName?: string;
  teamName?: string;
  campaignExternalId?: string;
  customerPhone: string;
  direction: 'inbound' | 'outbound';
  startedAt: Date;
  timeZone?: string;
  durationSeconds?: number;
  disposition?: 'connected' | 'no_answer' | 'busy' | 'abandoned' | 'voicemail';
  channelLayout: ChannelLayout;
  language?: string;
  audioKey: string;
  audioSha256: string;
  audioBytes: number;
  audioContentType: string;
  sidecarKey?: string;
}

export interface CallRecord {
  id: string;
  externalId: string | null;
  agentId: string | null;
  agentExternalId: string | null;
  campaignId: string | null;
  campaignExternalId: string | null;
  agentChannel: 'left' | 'right';
  /** the campaign's voice-activity detector for stereo calls; 'energy' without a campaign */
  vadDetector: 'energy' | 'silero';
  /** the campaign's transcription model; null: the deployment's TRANSCRIPTION_MODEL */
  transcriptionModel: string | null;
  /** the campaign's redaction switches on top of REDACTION_KINDS (empty without a campaign) */
  redactionOn: string[];
  redactionOff: string[];
  /** the campaign's opt-in rule policies (e.g. complaint_as_opt_out); none without a campaign */
  rulePolicies: string[];
  talkRatioAgentTarget: number;
  /** the campaign's IANA zone for dashboard days; null: the organisation's (no campaign, or none set) */
  campaignTimeZone: string | null;
  talkRatioTolerance: number;
  customerPhone: string;
  direction: 'inbound' | 'outbound';
  startedAt: Date;
  timeZone: string | null;
  durationSeconds: number | null;
  disposition: string | null;
  channelLayout: ChannelLayout;
  language: string | null;
  audioKey: string;
  /** the recording with redacted speech muted; equals audioKey when nothing was muted; null until analyse-audio ran */
  redactedAudioKey: string | null;
  audioSha256: string;
  /** a number: exact up to 2^53 bytes */
  audioBytes: number;
  /** what ffprobe found (analyse-audio); null until measured */
  audioChannels: number | null;
  audioContentType: string;
  sidecarKey: string | null;
  /** set once retention deleted the recording: audioKey no longer names a stored object */
  audioDeletedAt: Date | null;
  /** a legal hold keeps retention from deleting the recording */
  legalHold: boolean;
  status: CallStatus;
  currentStage: string | null;
  failedStage: string | null;
  failureReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface CallListFilter {
  status?: CallStatus;
  teamName?: string;
  /** QA score range, inclusive; calls without an evaluation are left out when either is set */
  minScore?: number;
  maxScore?: number;
  /** only calls with (true) or without (false) a critical finding that was not dismissed */
  hasCriticalFinding?: boolean;
  /** the call's external id, or the customer's phone number, containing this text */
  search?: string;
  /** only this agent's calls (an agent user's own list) */
  ownAgentId?: string;
  agentExternalId?: string;
  campaignExternalId?: string;
  from?: Date;
  to?: Date;
}

/** A call in a list, with what a reviewer scans the list for. */
export interface CallListItem extends CallRecord {
  score: number | null;
  autoFailed: boolean | null;
  /** critical findings not dismissed */
  criticalFindings: number;
}

const OPEN_CRITICAL = { severity: 'critical', reviewState: { not: 'dismissed' } } satisfies Prisma.FindingWhereInput;

export class DuplicateAudioError extends Error {
  constructor(readonly existingCallId: string) {
    super(`this recording was already uploaded as call ${existingCallId}`);
    this.name = 'DuplicateAudioError';
  }
}

export class DuplicateExternalIdError extends Error {
  constructor(
    readonly externalId: string,
    readonly existingCallId: string,
  ) {
    super(`externalId: "${externalId}" already names call ${existingCallId}, whose recording is different`);
    this.name = 'DuplicateExternalIdError';
  }
}

const callInclude = { agent: true, campaign: true } satisfies Prisma.CallInclude;
type CallRow = Prisma.CallGetPayload<{ include: typeof callInclude }>;
type AgentRow = NonNullable<CallRow['agent']>;
type CampaignRow = NonNullable<CallRow['campaign']>;

/** What analysing a recording measured: its channels, and its duration where the upload gave none. */
export interface AudioMeasurements {
  audioChannels: number;
  durationSeconds?: number;
}

/** A pipeline status write: the stage a call entered, or null when it completed. */
interface StatusWrite {
  id: string;
  stage: string | null;
}

@Injectable()
export class CallRepository {
  /** Every stage of every call writes its status: concurrent jobs' writes go as one statement (see GroupCommit). */
  private readonly statusWrites = new GroupCommit<StatusWrite>((writes) => this.writeStatuses(writes));
  // every upload: concurrent uploads' reads and inserts go as one statement each
  private readonly bySha256 = batchedReads<string, CallRecord>(async (shas) => {
    const rows = await this.findWhere(Prisma.sql`c."audioSha256" IN (SELECT jsonb_array_elements_text(${JSON.stringify(shas)}::jsonb))`);
    return new Map(rows.map((row) => [row.audioSha256, toCallRecord(row)]));
  });

  /** An upload's group (by team and group name), agent and campaign (by external id), keyed by those names as JSON. */
  private readonly knownParties = batchedReads<string, { groupId: string | null; agent: AgentRow | null; campaign: CampaignRow | null }>(async (keys) => {
    const rows = await this.prisma.sql.query<{ key: unknown; groupId: string | null; agent: AgentRow | null; campaign: CampaignRow | null }[]>`
      SELECT k.value AS key,
        (SELECT g.id FROM "Group" g JOIN "Team" t ON t.id = g."teamId" WHERE g.name = k.value->>0 AND t.name = k.value->>1) AS "groupId",
        (SELECT to_jsonb(a) FROM "Agent" a WHERE a."externalId" = k.value->>2) AS agent,
        (SELECT to_jsonb(c) FROM "Campaign" c WHERE c."externalId" = k.value->>3) AS campaign
      FROM jsonb_array_elements(${`[${keys.join(',')}]`}::jsonb) k`;
    // the key as submitted: the jsonb array comes back parsed
    return new Map(rows.map(({ key, ...known }) => [JSON.stringify(key), known]));
  });

  // a batch of uploads naming a party not yet stored creates it once (the rest wait for that insert)
  private readonly groupCreations = singleFlight<string>();
  private readonly agentCreations = singleFlight<AgentRow>();
  private readonly campaignCreations = singleFlight<CampaignRow>();

  private readonly inserts = new GroupCommit<Record<string, unknown>, Record<string, unknown>>(async (rows) => {
    const inserted = await this.prisma.sql.query<Record<string, unknown>[]>(insertRows('Call', rows));
    const byId = new Map(inserted.map((row) => [row.id, row]));
    return rows.map((row) => byId.get(row.id) as Record<string, unknown>);
  });

  // every call's analyse-audio stage: concurrent jobs' pointers go as one statement, each answering its cleared clips
  private readonly redactedPointers = new GroupCommit<{ id: string; key: string; channels: number | null; duration: number | null }, number>(async (batch) => {
    // a call once per statement: its latest pointer
    const latest = [...new Map(batch.map((item) => [item.id, item])).values()];
    const rows = await this.prisma.sql.query<{ id: string; cleared: number }[]>`
      WITH input AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(latest)}::jsonb) AS x(id uuid, key text, channels int, duration float8)),
      cleared AS (
        UPDATE "Finding" f SET "clipKey" = NULL, "updatedAt" = now() AT TIME ZONE 'UTC' FROM input
        WHERE f."callId" = input.id AND f."clipKey" IS NOT NULL RETURNING f."callId"
      ), pointed AS (
        UPDATE "Call" c SET "redactedAudioKey" = input.key, "audioChannels" = COALESCE(input.channels, c."audioChannels"),
          "durationSeconds" = COALESCE(input.duration, c."durationSeconds"), "updatedAt" = now() AT TIME ZONE 'UTC'
        FROM input WHERE c.id = input.id
      )
      SELECT input.id::text AS id, (SELECT count(*) FROM cleared WHERE cleared."callId" = input.id)::int AS cleared FROM input`;
    const cleared = new Map(rows.map((row) => [row.id, Number(row.cleared)]));
    return batch.map((item) => cleared.get(item.id.toLowerCase()) ?? 0);
  });

  private readonly byId = batchedReads<string, CallRecord>(async (ids) => {
    // a malformed id matches no call (the cast would fail the whole batch)
    const valid = ids.filter(isUuid);
    const rows = valid.length === 0 ? [] : await this.findWhere(Prisma.sql`c.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(valid)}::jsonb)::uuid)`);
    return new Map(rows.map((row) => [row.id, toCallRecord(row)]));
  }, lowerCase);

  constructor(private readonly prisma: PrismaService) {}

  /** Every job's stages read their call: concurrent jobs' reads go in one query (see batchedReads). */
  findById(id: string): Promise<CallRecord | null> {
    return this.byId.submit(id);
  }

  /** Every upload asks: concurrent uploads' reads go in one query (see batchedReads). */
  findBySha256(sha256: string): Promise<CallRecord | null> {
    return this.bySha256.submit(sha256);
  }

  /** Calls with their agent and campaign in one query (through the ORM, three). */
  private findWhere(where: Prisma.Sql): Promise<CallRow[]> {
    return this.prisma.sql.query<CallRow[]>`
      SELECT c.*, to_jsonb(a) AS agent, to_jsonb(cp) AS campaign
      FROM "Call" c LEFT JOIN "Agent" a ON a.id = c."agentId" LEFT JOIN "Campaign" cp ON cp.id = c."campaignId"
      WHERE ${where}`;
  }

  /**
   * Creates the call and, on first sight, its agent, group, team and campaign. Those are idempotent upserts, each its
   * own statement, and the call one insert: no interactive transaction, whose 5 s limit a busy database (or an agent
   * row locked by another writer) turned into a 500. An agent or campaign created for an upload that then fails stays:
   * the next upload naming it would create it anyway.
   */
  async create(input: NewCall): Promise<CallRecord> {
    try {
      const db = this.prisma.client;
      const teamName = input.teamName ?? 'Default team';
      // one read for the usual upload, whose group, agent and campaign exist; what is missing is created below
      const known = (await this.knownParties.submit(JSON.stringify([input.groupName ?? null, teamName, input.agentExternalId, input.campaignExternalId ?? null]))) ?? {
        groupId: null,
        agent: null,
        campaign: null,
      };
      const { groupName, agentExternalId, campaignExternalId } = input;
      const groupId = groupName
        ? (known.groupId ?? (await this.groupCreations(JSON.stringify([teamName, groupName]), () => ensureGroup(db, teamName, groupName))))
        : null;
      const agent = await ensureAgent(
        db,
        known.agent ?? (await this.agentCreations(agentExternalId, () => createAgent(db, agentExternalId, input.agentName, groupId))),
        input.agentName,
        groupId,
      );
      const campaign = campaignExternalId
        ? (known.campaign ?? (await this.campaignCreations(campaignExternalId, () => ensureCampaign(db, campaignExternalId))))
        : null;
      const now = new Date().toISOString();
      const row = await this.inserts.submit({
        id: randomUUID(),
        externalId: input.externalId ?? null,
        agentId: agent.id,
        campaignId: campaign?.id ?? null,
        customerPhone: input.customerPhone,
        direction: input.direction,
        startedAt: input.startedAt.toISOString(),
        timeZone: input.timeZone ?? null,
        durationSeconds: input.durationSeconds ?? null,
        disposition: input.disposition ?? null,
        channelLayout: input.channelLayout,
        language: input.language ?? null,
        audioKey: input.audioKey,
        audioSha256: input.audioSha256,
        audioBytes: input.audioBytes,
        audioContentType: input.audioContentType,
        sidecarKey: input.sidecarKey ?? null,
        status: 'queued',
        createdAt: now,
        updatedAt: now,
      });
      // the agent and campaign are in hand: no second read of them
      return toCallRecord({ ...(row as CallRow), agent, campaign });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const existing = await this.findBySha256(input.audioSha256);
        if (existing) throw new DuplicateAudioError(existing.id);
        const sameExternalId = input.externalId
          ? await this.prisma.client.call.findUnique({ where: { externalId: input.externalId }, select: { id: true } })
          : null;
        if (sameExternalId) throw new DuplicateExternalIdError(input.externalId ?? '', sameExternalId.id);
      }
      throw error;
    }
  }

  async list(filter: CallListFilter, page: KeysetPage): Promise<CallListItem[]> {
    const rows = await this.prisma.client.call.findMany({
      where: {
        status: filter.status,
        agentId: filter.ownAgentId,
        agent:
          filter.agentExternalId || filter.teamName
            ? { externalId: filter.agentExternalId, group: filter.teamName ? { team: { name: filter.teamName } } : undefined }
            : undefined,
        campaign: filter.campaignExternalId ? { externalId: filter.campaignExternalId } : undefined,
        startedAt: filter.from || filter.to ? { gte: filter.from, lt: filter.to } : undefined,
        evaluation: filter.minScore !== undefined || filter.maxScore !== undefined ? { score: { gte: filter.minScore, lte: filter.maxScore } } : undefined,
        findings: filter.hasCriticalFinding === undefined ? undefined : filter.hasCriticalFinding ? { some: OPEN_CRITICAL } : { none: OPEN_CRITICAL },
        ...(filter.search
          ? { AND: [{ OR: [{ externalId: { contains: filter.search, mode: 'insensitive' as const } }, { customerPhone: { contains: filter.search } }] }] }
          : {}),
        ...keysetBefore(page.cursor),
      },
      orderBy: NEWEST_FIRST,
      take: page.limit,
      include: { ...callInclude, evaluation: { select: { score: true, autoFailed: true } }, _count: { select: { findings: { where: OPEN_CRITICAL } } } },
    });
    return rows.map((row) => ({
      ...toCallRecord(row),
      score: row.evaluation?.score ?? null,
      autoFailed: row.evaluation?.autoFailed ?? null,
      criticalFindings: row._count.findings,
    }));
  }

  markStageStarted(id: string, stage: string): Promise<void> {
    return this.statusWrites.submit({ id, stage });
  }

  /** A failed call stays failed: a later rollup of it (an outcome import) does not complete it. */
  markCompleted(id: string): Promise<void> {
    return this.statusWrites.submit({ id, stage: null });
  }

  private async writeStatuses(writes: readonly StatusWrite[]): Promise<void[]> {
    // a call once per statement (an UPDATE ... FROM applies one of several matching rows): its latest write
    const latest = [...new Map(writes.map((write) => [write.id, write])).values()];
    await this.prisma.sql.execute`
      UPDATE "Call" AS c SET
        status = (CASE WHEN w.stage IS NULL THEN 'completed' ELSE 'processing' END)::"CallStatus",
        "currentStage" = w.stage,
        "completedAt" = CASE WHEN w.stage IS NULL THEN now() AT TIME ZONE 'UTC' ELSE c."completedAt" END,
        "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${JSON.stringify(latest)}::jsonb) AS w(id uuid, stage text)
      WHERE c.id = w.id AND c.status <> 'failed'`;
    return [];
  }

  async markFailed(id: string, stage: string, reason: string): Promise<void> {
    await this.prisma.client.call.updateMany({
      where: { id },
      data: { status: 'failed', currentStage: null, failedStage: stage, failureReason: reason.slice(0, 2000) },
    });
  }

  /**
   * Puts a call that is not in the pipeline (completed or failed) back to `queued`, atomically: of two racing re-runs
   * or transcript imports only one gets true. False when the call is queued or processing (or does not exist).
   */
  async claimForRerun(id: string): Promise<boolean> {
    const { count } = await this.prisma.client.call.updateMany({
      where: { id, status: { in: ['completed', 'failed'] } },
      data: { status: 'queued', currentStage: null, failedStage: null, failureReason: null },
    });
    return count === 1;
  }

  /** Undoes claimForRerun when the re-run could not be prepared (its transcript not stored): the call is as it was. */
  async releaseRerunClaim(id: string, previous: Pick<CallRecord, 'status' | 'failedStage' | 'failureReason'>): Promise<void> {
    await this.prisma.client.call.updateMany({
      where: { id, status: 'queued' },
      data: { status: previous.status, failedStage: previous.failedStage, failureReason: previous.failureReason },
    });
  }

  async markRequeued(id: string): Promise<void> {
    await this.prisma.client.call.update({
      where: { id },
      data: { status: 'queued', currentStage: null, failedStage: null, failureReason: null },
    });
  }

  /**
   * Points the call at its redacted copy and clears the clips cut before (from the recording, or from a copy muting
   * other spans), in one statement, with what analysing the recording measured when given. Returns how many clips
   * were cleared, to be cut again.
   */
  async pointAtRedactedAudio(id: string, redactedAudioKey: string, measured?: AudioMeasurements): Promise<number> {
    return this.redactedPointers.submit({ id, key: redactedAudioKey, channels: measured?.audioChannels ?? null, duration: measured?.durationSeconds ?? null });
  }

  /** What analysing the recording measured: its channels, and its duration where the upload gave none. */
  async recordAudioMeasurements(id: string, measured: AudioMeasurements): Promise<void> {
    await this.prisma.client.call.update({ where: { id }, data: measured });
  }

  /** Calls still `queued` after the cutoff: their first job may never have reached Redis. */
  /** How many calls are processing, and since when the one unchanged longest has been in its stage. */
  async processingBacklog(): Promise<{ processing: number; oldestUnchangedAt: Date | null }> {
    const result = await this.prisma.client.call.aggregate({ where: { status: 'processing' }, _count: { _all: true }, _min: { updatedAt: true } });
    return { processing: result._count._all, oldestUnchangedAt: result._min.updatedAt };
  }

  /** Calls in a stage since before the cutoff (nothing about them has changed since): the reconciler checks their jobs. */
  async listProcessingBefore(cutoff: Date, limit: number): Promise<{ id: string; currentStage: string | null; sidecarKey: string | null }[]> {
    return this.prisma.client.call.findMany({
      where: { status: 'processing', updatedAt: { lt: cutoff } },
      select: { id: true, currentStage: true, sidecarKey: true },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  async listQueuedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.client.call.findMany({
      where: { status: 'queued', createdAt: { lt: cutoff } },
      select: { id: true },
      take: limit,
    });
    return rows.map((row) => row.id);
  }
}

// Concurrent uploads create the same team, group, agent or campaign at once: INSERT ... ON CONFLICT DO NOTHING
// (createMany with skipDuplicates) waits for the other insert and never fails, where a select-then-insert upsert races.
// Read first (all three in one query, in create): after an agent's first call, that is the only statement. A miss
// falls back to an insert that skips duplicates (a racing upload may create the row first), then reads. No transaction
// holds them: each statement stands alone, so a locked agent row cannot time out an upload's transaction.
async function ensureGroup(db: Pick<DatabaseClient, 'team' | 'group'>, teamName: string, groupName: string): Promise<string> {
  await db.team.createMany({ data: [{ name: teamName }], skipDuplicates: true });
  const team = await db.team.findUniqueOrThrow({ where: { name: teamName } });
  await db.group.createMany({ data: [{ teamId: team.id, name: groupName }], skipDuplicates: true });
  const group = await db.group.findUniqueOrThrow({ where: { teamId_name: { teamId: team.id, name: groupName } } });
  return group.id;
}

async function createAgent(db: Pick<DatabaseClient, 'agent'>, externalId: string, name: string | undefined, groupId: string | null): Promise<AgentRow> {
  await db.agent.createMany({ data: [{ externalId, name: name ?? externalId, groupId }], skipDuplicates: true });
  return db.agent.findUniqueOrThrow({ where: { externalId } });
}

/** The agent as this upload names it: moved to its group and renamed where the upload says otherwise. */
async function ensureAgent(db: Pick<DatabaseClient, 'agent'>, agent: AgentRow, name: string | undefined, groupId: string | null): Promise<AgentRow> {
  const { externalId } = agent;
  const moved = groupId !== null && agent.groupId !== groupId;
  const renamed = name !== undefined && agent.name !== name;
  if (!moved && !renamed) return agent;
  return db.agent.update({ where: { externalId }, data: { ...(moved ? { groupId } : {}), ...(renamed ? { name } : {}) } });
}

async function ensureCampaign(db: Pick<DatabaseClient, 'campaign'>, externalId: string) {
  await db.campaign.createMany({ data: [{ externalId, name: externalId, rulePacks: [] }], skipDuplicates: true });
  return db.campaign.findUniqueOrThrow({ where: { externalId } });
}

function toCallRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    externalId: row.externalId,
    agentId: row.agentId,
    agentExternalId: row.agent?.externalId ?? null,
    campaignId: row.campaignId,
    campaignExternalId: row.campaign?.externalId ?? null,
    agentChannel: row.campaign?.agentChannel ?? 'left',
    vadDetector: row.campaign?.vadDetector ?? 'energy',
    transcriptionModel: row.campaign?.transcriptionModel ?? null,
    redactionOn: row.campaign?.redactionOn ?? [],
    redactionOff: row.campaign?.redactionOff ?? [],
    rulePolicies: row.campaign?.rulePolicies ?? [],
    talkRatioAgentTarget: row.campaign?.talkRatioAgentTarget ?? 0.3,
    campaignTimeZone: row.campaign?.timeZone ?? null,
    talkRatioTolerance: row.campaign?.talkRatioTolerance ?? 0.1,
    customerPhone: row.customerPhone,
    direction: row.direction,
    startedAt: row.startedAt,
    timeZone: row.timeZone,
    durationSeconds: row.durationSeconds,
    disposition: row.disposition,
    channelLayout: row.channelLayout,
    language: row.language,
    audioKey: row.audioKey,
    redactedAudioKey: row.redactedAudioKey,
    audioSha256: row.audioSha256,
    audioBytes: Number(row.audioBytes),
    audioChannels: row.audioChannels,
    audioContentType: row.audioContentType,
    sidecarKey: row.sidecarKey,
    audioDeletedAt: row.audioDeletedAt,
    legalHold: row.legalHold,
    status: row.status,
    currentStage: row.currentStage,
    failedStage: row.failedStage,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
  };
}

/** A unique constraint refused the write: through the ORM (P2002), in raw SQL through Prisma or straight through pg (Postgres 23505). */
function isUniqueViolation(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) return error.code === '23505';
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: string; kind?: string } } | undefined)?.cause;
  return error.code === 'P2002' || cause?.originalCode === '23505' || cause?.kind === 'UniqueConstraintViolation';
}
