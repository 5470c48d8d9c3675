import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/**
 * The seed of `npm run bench:rollup`, shared with `bench:console`: 5 teams x 5 groups, `agents` agents ("bench-agent-0000"
 * on), `calls` calls spread evenly over agents and `days` days from `firstDay` (70% connected, 0-400 s) straight into
 * Postgres, and the per-agent daily rollups the rollup stage would have written for them. Touches only its own teams,
 * agents and campaign ('bench'), so it can seed a database that holds other calls. Returns each step's ms.
 */
export async function seedRollupBench(client: pg.Client, firstDay: Date, size: { calls: number; agents: number; days: number }): Promise<Record<string, number>> {
  const { calls: CALLS, agents: AGENTS, days: DAYS } = size;
  const timings: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, params);
    timings[name] = Math.round(performance.now() - t);
  };
  await client.query('SET synchronous_commit = off');
  await step('organisation', `
    INSERT INTO "Team"(id, name) SELECT gen_random_uuid(), 'Team ' || t FROM generate_series(1, 5) t;
    INSERT INTO "Group"(id, "teamId", name) SELECT gen_random_uuid(), tm.id, tm.name || ' / Group ' || g FROM "Team" tm, generate_series(1, 5) g WHERE tm.name LIKE 'Team _';
    WITH g AS (SELECT id, (row_number() OVER (ORDER BY name)) - 1 AS k FROM "Group" WHERE name LIKE 'Team _ / Group _')
    INSERT INTO "Agent"(id, "externalId", name, "groupId")
      SELECT gen_random_uuid(), 'bench-agent-' || lpad(n::text, 4, '0'), 'Agent ' || n, g.id
      FROM generate_series(0, ${AGENTS - 1}) n JOIN g ON g.k = n % 25;
    INSERT INTO "Campaign"(id, "externalId", name, "rulePacks") VALUES (gen_random_uuid(), 'bench', 'bench', '{}');`);
  // One statement: calls spread evenly over agents and days; 70% connected with a handle time of 0–400 s.
  await step(
    'calls',
    `WITH a AS (SELECT id, (row_number() OVER (ORDER BY "externalId")) - 1 AS k FROM "Agent" WHERE "externalId" LIKE 'bench-agent-%'),
          c AS (SELECT id FROM "Campaign" WHERE "externalId" = 'bench'),
          s AS (SELECT i, random() AS r, random() AS d FROM generate_series(0, ${CALLS - 1}) i)
     INSERT INTO "Call"(id, "agentId", "campaignId", "customerPhone", direction, "startedAt", "durationSeconds", disposition,
                        "channelLayout", "audioKey", "audioSha256", "audioBytes", "audioContentType", status, "completedAt", "updatedAt")
     SELECT gen_random_uuid(), a.id, c.id, '+1415' || lpad((s.i % 9000000)::text, 7, '0'), 'outbound'::"CallDirection",
            $1::timestamp + ((s.i / ${AGENTS}) % ${DAYS}) * interval '1 day' + (8 * 3600 + (s.i::bigint * 7919) % 36000) * interval '1 second',
            CASE WHEN s.r < 0.7 THEN round((s.d * 400)::numeric, 1)::float8 ELSE 0 END,
            (CASE WHEN s.r < 0.7 THEN 'connected' WHEN s.r < 0.85 THEN 'no_answer' WHEN s.r < 0.95 THEN 'busy' ELSE 'abandoned' END)::"Disposition",
            'stereo'::"ChannelLayout", 'bench/' || s.i, md5(s.i::text), 1000, 'audio/wav', 'completed'::"CallStatus", now(), now()
     FROM s JOIN a ON a.k = s.i % ${AGENTS} CROSS JOIN c`,
    [firstDay.toISOString()],
  );
  // What the rollup stage would have accumulated for those calls (outcome and finding counters drawn at plausible rates).
  await step('rollups', `
    INSERT INTO "AgentDailyRollup"("agentId", day, calls, "analysedCalls", "connectedCalls", "handledCalls", "handleSeconds",
      "effectiveCalls", "earlyHangUps", "callsWithCritical", "criticalFindings", findings, complaints, "intentCalls", sales,
      "csatSum", "csatCount", "scoreSum", "scoredCalls", "autoFailedCalls", "talkRatioAdherent", "talkRatioMeasured",
      "interruptionsSum", "interruptionsMeasured", "deadAirSum", "deadAirMeasured", "updatedAt")
    SELECT "agentId", "startedAt"::date, count(*), count(*) FILTER (WHERE con), count(*) FILTER (WHERE con), count(*) FILTER (WHERE con),
      coalesce(sum("durationSeconds") FILTER (WHERE con), 0), count(*) FILTER (WHERE con AND "durationSeconds" >= 120),
      count(*) FILTER (WHERE con AND "durationSeconds" < 30), count(*) FILTER (WHERE con AND x < 0.02), count(*) FILTER (WHERE con AND x < 0.02),
      count(*) FILTER (WHERE con AND x < 0.2), count(*) FILTER (WHERE x > 0.996), count(*) FILTER (WHERE con AND y < 0.3),
      count(*) FILTER (WHERE con AND y < 0.08), coalesce(sum(1 + floor(y * 5)) FILTER (WHERE con AND x > 0.8), 0),
      count(*) FILTER (WHERE con AND x > 0.8), coalesce(sum(CASE WHEN x < 0.02 THEN 0 ELSE 60 + y * 40 END) FILTER (WHERE con), 0),
      count(*) FILTER (WHERE con), count(*) FILTER (WHERE con AND x < 0.02), count(*) FILTER (WHERE con AND y > 0.25),
      count(*) FILTER (WHERE con), coalesce(sum(floor(y * 4)) FILTER (WHERE con), 0), count(*) FILTER (WHERE con),
      coalesce(sum(floor(x * 3)) FILTER (WHERE con), 0), count(*) FILTER (WHERE con), now()
    FROM (SELECT "agentId", "startedAt", "durationSeconds", disposition = 'connected' AS con, random() AS x, random() AS y FROM "Call"
          WHERE "campaignId" = (SELECT id FROM "Campaign" WHERE "externalId" = 'bench')) calls
    GROUP BY "agentId", "startedAt"::date;
    ANALYZE;`);
  return timings;
}

