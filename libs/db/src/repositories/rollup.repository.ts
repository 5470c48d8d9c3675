import { Injectable } from '@nestjs/common';
import { COUNTER_NAMES, countersFrom, emptyCounters, type CallOutcomeCounters, type CounterName } from '#libs/evaluation-model';
import { Prisma } from '../generated/prisma/client.js';
import { GroupCommit, batchedReads } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { isUuid } from '#libs/domain';
import { ACTIVITY_COLUMNS, ACTIVITY_FROM, activityOf, type ActivityRow } from './call-activity.sql.js';

/** What one call adds to its agent's day. `findings` (non-dismissed findings) is kept beside the model's counters. */
export interface CallContribution {
  agentId: string;
  /** also added to the campaign's day when set */
  campaignId: string | null;
  day: Date;
  counters: CallOutcomeCounters;
  findings: number;
}

export interface AgentDayCounters {
  day: Date;
  counters: CallOutcomeCounters;
}

export interface AgentTotals {
  agentId: string;
  counters: CallOutcomeCounters;
}

export interface AgentDirectoryEntry {
  agentId: string;
  externalId: string;
  name: string;
  groupId: string | null;
  groupName: string | null;
  teamId: string | null;
  teamName: string | null;
}

export interface AgentCallActivity {
  startedAt: Date;
  durationSeconds: number;
  effective: boolean;
}

type Increments = Partial<Record<CounterName | 'findings', number>>;

// Column names are constants from the evaluation model, never user input.
const SUM_COLUMNS = Prisma.raw(COUNTER_NAMES.map((c) => `sum(r."${c}")::float8 AS "${c}"`).join(', '));
const ROLLUP_COLUMNS = [...COUNTER_NAMES, 'findings'] as const;
const INSERT_COLUMNS = Prisma.raw(ROLLUP_COLUMNS.map((c) => `"${c}"`).join(', '));
// read as float8 and cast by the insert to each column's type (counts are whole numbers)
const RECORD_COLUMNS = Prisma.raw(ROLLUP_COLUMNS.map((c) => `"${c}" float8`).join(', '));
const SELECT_COLUMNS = Prisma.raw(ROLLUP_COLUMNS.map((c) => `COALESCE(x."${c}", 0)`).join(', '));
const agentIncrements = Prisma.raw(ROLLUP_COLUMNS.map((c) => `"${c}" = "AgentDailyRollup"."${c}" + EXCLUDED."${c}"`).join(', '));
const campaignIncrements = Prisma.raw(ROLLUP_COLUMNS.map((c) => `"${c}" = "CampaignDailyRollup"."${c}" + EXCLUDED."${c}"`).join(', '));

/** The increments per (owner, day) that take `previous` out and put `next` in; one entry when both share the key. */
function changesFor(
  previous: CallContribution | null,
  next: CallContribution | null,
  owner: (c: CallContribution) => string | null,
): { owner: string; day: Date; increments: Increments }[] {
  const changes = new Map<string, { owner: string; day: Date; increments: Increments }>();
  const put = (c: CallContribution | null, sign: 1 | -1) => {
    const id = c ? owner(c) : null;
    if (!c || !id) return;
    const key = `${id}|${c.day.getTime()}`;
    const existing = changes.get(key);
    const increments = toIncrements(c.counters, c.findings, sign);
    changes.set(key, { owner: id, day: c.day, increments: existing ? addIncrements(existing.increments, increments) : increments });
  };
  put(previous, -1);
  put(next, 1);
  return [...changes.values()];
}

function toIncrements(counters: CallOutcomeCounters, findings: number, sign: 1 | -1): Increments {
  const out: Increments = { findings: sign * findings };
  for (const k of COUNTER_NAMES) out[k] = sign * counters[k];
  return out;
}

function addIncrements(a: Increments, b: Increments): Increments {
  const out: Increments = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof Increments, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

function rowCounters(row: Record<string, unknown>): CallOutcomeCounters {
  const partial: Partial<Record<CounterName, number>> = {};
  for (const k of COUNTER_NAMES) partial[k] = Number(row[k] ?? 0);
  return countersFrom(partial);
}

type DayChanges = ReturnType<typeof changesFor>;

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The changes of many swaps summed per (owner, day), in key order: batches lock rows in one order, so never deadlock. */
function summed(changes: DayChanges): DayChanges {
  const byKey = new Map<string, DayChanges[number]>();
  for (const change of changes) {
    const key = `${change.owner}|${dayOf(change.day)}`;
    const existing = byKey.get(key);
    byKey.set(key, existing ? { ...existing, increments: addIncrements(existing.increments, change.increments) } : change);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, change]) => change);
}

function changeRows(changes: DayChanges): string {
  return JSON.stringify(summed(changes).map(({ owner, day, increments }) => ({ owner, day: dayOf(day), ...increments })));
}

interface Swap {
  callId: string;
  next: CallContribution | null;
}

interface StoredContribution {
  callId: string;
  agentId: string;
  campaignId: string | null;
  day: Date;
  counters: Record<string, unknown>;
}

/**
 * The writes of a batch of swaps as one statement (run after the calls' locks and their previous contributions' read):
 * the agent and campaign days take the summed increments, each call's contribution is replaced (or deleted when it has
 * no next one) and the calls are marked rolled up. Answers the agent-day rows as they are after the increments. The
 * campaign's days come last: every call of a campaign waits for its day's row until the holder commits.
 */
function swapStatement(agentDays: DayChanges, campaignDays: DayChanges, final: ReadonlyMap<string, CallContribution | null>): Prisma.Sql {
  const kept = [...final].flatMap(([callId, next]) =>
    next ? [{ callId, agentId: next.agentId, campaignId: next.campaignId, day: dayOf(next.day), counters: { ...next.counters, findings: next.findings } }] : [],
  );
  const dropped = [...final].filter(([, next]) => next === null).map(([callId]) => callId);
  return Prisma.sql`
    WITH agent_days AS (
      INSERT INTO "AgentDailyRollup" ("agentId", day, ${INSERT_COLUMNS}, "updatedAt")
      SELECT x.owner, x.day, ${SELECT_COLUMNS}, now() AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${changeRows(agentDays)}::jsonb) AS x(owner uuid, day date, ${RECORD_COLUMNS})
      ON CONFLICT ("agentId", day) DO UPDATE SET ${agentIncrements}, "updatedAt" = EXCLUDED."updatedAt"
      RETURNING *
    ), kept AS (
      INSERT INTO "CallRollupContribution" ("callId", "agentId", "campaignId", day, counters, "updatedAt")
      SELECT x."callId", x."agentId", x."campaignId", x.day, x.counters, now() AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${JSON.stringify(kept)}::jsonb) AS x("callId" uuid, "agentId" uuid, "campaignId" uuid, day date, counters jsonb)
      ON CONFLICT ("callId") DO UPDATE SET "agentId" = EXCLUDED."agentId", "campaignId" = EXCLUDED."campaignId", day = EXCLUDED.day,
        counters = EXCLUDED.counters, "updatedAt" = EXCLUDED."updatedAt"
    ), dropped AS (
      DELETE FROM "CallRollupContribution" WHERE "callId" IN (SELECT jsonb_array_elements_text(${JSON.stringify(dropped)}::jsonb)::uuid)
    ), rolled_up AS (
      UPDATE "Call" SET "rolledUpAt" = now() AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
      WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(kept.map((k) => k.callId))}::jsonb)::uuid)
    ), campaign_days AS (
      INSERT INTO "CampaignDailyRollup" ("campaignId", day, ${INSERT_COLUMNS}, "updatedAt")
      SELECT x.owner, x.day, ${SELECT_COLUMNS}, now() AT TIME ZONE 'UTC'
      FROM jsonb_to_recordset(${changeRows(campaignDays)}::jsonb) AS x(owner uuid, day date, ${RECORD_COLUMNS})
      ON CONFLICT ("campaignId", day) DO UPDATE SET ${campaignIncrements}, "updatedAt" = EXCLUDED."updatedAt"
    )
    SELECT "agentId"::text AS "agentId", day, ${INSERT_COLUMNS} FROM agent_days`;
}

function contributionOf(row: StoredContribution): CallContribution {
  return {
    agentId: row.agentId,
    campaignId: row.campaignId,
    day: row.day,
    counters: countersFrom(row.counters as Record<string, number>),
    findings: Number(row.counters.findings ?? 0),
  };
}

/** Incremental per-agent, per-day aggregates of the evaluation model, and the reads that serve its endpoints. */
@Injectable()
export class RollupRepository {
  /** Concurrent swaps (a worker's rollup stages) go as one transaction: see GroupCommit. */
  private readonly swaps = new GroupCommit<Swap, CallOutcomeCounters | null>((batch) => this.swapBatch(batch));

  // keyed [agent id, from, to]; up to 5,000 calls each, as one agent's day holds
  private readonly activity = batchedReads<string, AgentCallActivity[]>(async (keys) => {
    const rows = await this.prisma.sql.query<(ActivityRow & { key: unknown })[]>`
      SELECT k.value AS key, a.* FROM jsonb_array_elements(${`[${keys.join(',')}]`}::jsonb) k
      CROSS JOIN LATERAL (
        SELECT ${ACTIVITY_COLUMNS} ${ACTIVITY_FROM}
        WHERE c."agentId" = (k.value->>0)::uuid AND c."startedAt" >= (k.value->>1)::timestamptz AT TIME ZONE 'UTC' AND c."startedAt" < (k.value->>2)::timestamptz AT TIME ZONE 'UTC'
        ORDER BY c."startedAt" ASC LIMIT 5000
      ) a
      ORDER BY a."startedAt"`;
    const byKey = new Map<string, AgentCallActivity[]>(keys.map((key) => [key, []]));
    // the key as submitted: the jsonb array comes back parsed
    for (const { key, ...row } of rows) byKey.get(JSON.stringify(key))?.push(activityOf(row));
    return byKey;
  });

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Replaces the call's contribution to the aggregates with what `build` returns (null: no contribution), in a
   * transaction under a per-call lock, so repeats, re-scores and late outcomes never double count. `build` reads the
   * call's current state before the transaction: it uses other connections, which inside the transaction would
   * deadlock embedded PGlite (one connection) and can starve the Postgres pool. Returns the agent day's counters.
   */
  async swapContribution(callId: string, build: () => Promise<CallContribution | null>): Promise<CallOutcomeCounters | null> {
    return this.swaps.submit({ callId, next: await build() });
  }

  /**
   * Swaps of many calls in one transaction of four statements: the calls' locks (in id order, so two batches never
   * deadlock), their previous contributions, the writes, the commit. The agent and campaign days take one upsert each
   * per batch (a campaign's day was every call's hot row). A call twice in a batch swaps in submission order. Each
   * swap answers its agent day's counters after the whole batch.
   */
  private swapBatch(batch: readonly Swap[]): Promise<(CallOutcomeCounters | null)[]> {
    const callIds = [...new Set(batch.map((swap) => swap.callId))].sort();
    const ids = JSON.stringify(callIds);
    return this.prisma.sql.transaction(async (tx) => {
      await tx.execute`SELECT pg_advisory_xact_lock(hashtext(id)) FROM jsonb_array_elements_text(${ids}::jsonb) AS id`;
      const stored = await tx.query<StoredContribution[]>`
        SELECT "callId"::text AS "callId", "agentId"::text AS "agentId", "campaignId"::text AS "campaignId", day, counters
        FROM "CallRollupContribution" WHERE "callId" IN (SELECT jsonb_array_elements_text(${ids}::jsonb)::uuid)`;
      const current = new Map<string, CallContribution | null>(stored.map((row) => [row.callId, contributionOf(row)]));
      const agentChanges: DayChanges = [];
      const campaignChanges: DayChanges = [];
      const final = new Map<string, CallContribution | null>();
      for (const { callId, next } of batch) {
        const previous = current.get(callId) ?? null;
        agentChanges.push(...changesFor(previous, next, (c) => c.agentId));
        campaignChanges.push(...changesFor(previous, next, (c) => c.campaignId));
        current.set(callId, next);
        if (next || previous || final.has(callId)) final.set(callId, next);
      }
      const rows = await tx.query<Record<string, unknown>[]>(swapStatement(agentChanges, campaignChanges, final));
      const byDay = new Map(rows.map((row) => [`${String(row.agentId)}|${dayOf(row.day as Date)}`, row]));
      return batch.map(({ next }) => {
        if (!next) return null;
        const row = byDay.get(`${next.agentId}|${dayOf(next.day)}`);
        return row ? rowCounters(row) : emptyCounters();
      });
    });
  }

  /** The agent's days in [from, to), oldest first. */
  async agentDays(agentId: string, from: Date, to: Date): Promise<AgentDayCounters[]> {
    const rows = await this.prisma.client.agentDailyRollup.findMany({
      where: { agentId, day: { gte: from, lt: to } },
      orderBy: { day: 'asc' },
    });
    return rows.map((row) => ({ day: row.day, counters: rowCounters(row) }));
  }

  /** The campaign's days in [from, to), oldest first. */
  async campaignDays(campaignId: string, from: Date, to: Date): Promise<AgentDayCounters[]> {
    const rows = await this.prisma.client.campaignDailyRollup.findMany({
      where: { campaignId, day: { gte: from, lt: to } },
      orderBy: { day: 'asc' },
    });
    return rows.map((row) => ({ day: row.day, counters: rowCounters(row) }));
  }

  /** Sums per agent over [from, to); only agents of the team when `teamId` is given. One query, agent-day rows only. */
  async totalsByAgent(from: Date, to: Date, scope: { teamId?: string } = {}): Promise<AgentTotals[]> {
    const teamFilter = scope.teamId
      ? Prisma.sql`AND r."agentId" IN (SELECT a.id FROM "Agent" a JOIN "Group" g ON g.id = a."groupId" WHERE g."teamId" = ${scope.teamId}::uuid)`
      : Prisma.empty;
    const rows = await this.prisma.sql.query<Record<string, unknown>[]>`
      SELECT r."agentId"::text AS "agentId", ${SUM_COLUMNS}
      FROM "AgentDailyRollup" r
      WHERE r.day >= ${from}::date AND r.day < ${to}::date ${teamFilter}
      GROUP BY r."agentId"`;
    return rows.map((row) => ({ agentId: String(row.agentId), counters: rowCounters(row) }));
  }

  /** Every agent with its group and team; the organisation is small (hundreds to thousands of agents). */
  async directory(scope: { teamId?: string } = {}): Promise<AgentDirectoryEntry[]> {
    const rows = await this.prisma.client.agent.findMany({
      where: scope.teamId ? { group: { teamId: scope.teamId } } : undefined,
      include: { group: { include: { team: true } } },
      orderBy: { externalId: 'asc' },
    });
    return rows.map(toDirectoryEntry);
  }

  /** An agent by id or external id. */
  async findAgent(ref: string): Promise<AgentDirectoryEntry | null> {
    const a = await this.prisma.client.agent.findFirst({
      where: isUuid(ref) ? { OR: [{ id: ref }, { externalId: ref }] } : { externalId: ref },
      include: { group: { include: { team: true } } },
    });
    return a ? toDirectoryEntry(a) : null;
  }

  async findTeam(ref: string): Promise<{ id: string; name: string } | null> {
    return this.prisma.client.team.findFirst({
      where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
      select: { id: true, name: true },
    });
  }

  async listTeams(): Promise<{ id: string; name: string }[]> {
    return this.prisma.client.team.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
  }

  /**
   * The agent's calls started in [from, to), with whether each was effective: input of the activity threshold. A
   * rolled-up call is effective as its contribution says (it follows outcome imports that changed the disposition).
   * Every call's rollup asks for its agent day: one query for concurrent jobs (see batchedReads).
   */
  async agentActivity(agentId: string, from: Date, to: Date): Promise<AgentCallActivity[]> {
    return (await this.activity.submit(JSON.stringify([agentId.toLowerCase(), from.toISOString(), to.toISOString()]))) ?? [];
  }
}

function toDirectoryEntry(a: {
  id: string;
  externalId: string;
  name: string;
  groupId: string | null;
  group: { name: string; teamId: string; team: { name: string } } | null;
}): AgentDirectoryEntry {
  return {
    agentId: a.id,
    externalId: a.externalId,
    name: a.name,
    groupId: a.groupId,
    groupName: a.group?.name ?? null,
    teamId: a.group?.teamId ?? null,
    teamName: a.group?.team.name ?? null,
  };
}
