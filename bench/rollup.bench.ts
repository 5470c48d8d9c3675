/**
 * npm run bench:rollup [-- --calls N --agents A --days D --requests R] — seeds N calls (default 1,000,000) across A agents
 * (500) in 5 teams x 5 groups over D days (90) straight into a fresh Postgres database (generate_series, not the
 * pipeline), with the per-agent daily aggregates the rollup stage maintains, then boots the API and measures over
 * HTTP the p50/p95 of an agent's scorecard (30 days, daily trend), a team drill-down (team -> group -> agent, 30
 * days) and an agent ranking (qaScoreMean, min sample 20). Target p95 < 100 ms each. Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../libs/config/src/index.js';
import { applyMigrations } from '../libs/db/src/migrate/index.js';
import { firstAdminEnv, signIn } from '../scripts/sign-in.js';
import { seedRollupBench } from './rollup-seed.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BENCH_ADMIN = 'bench@earshot.local';
// every measured request carries the admin's session, so the numbers include the auth guard's lookup
let authorization = '';
const CALLS = Number(argument('--calls') ?? 1_000_000);
const AGENTS = Number(argument('--agents') ?? 500);
const DAYS = Number(argument('--days') ?? 90);
const REQUESTS = Number(argument('--requests') ?? 200);
const DAY_MS = 86_400_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

async function measure(baseUrl: string, paths: () => string): Promise<{ p50: number; p95: number; max: number }> {
  for (let i = 0; i < 10; i++) await (await fetch(`${baseUrl}${paths()}`, { headers: { authorization } })).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const path = paths();
    const t = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization } });
    await response.arrayBuffer();
    times.push(performance.now() - t);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times[times.length - 1]) };
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `earshot_bench_rollup_${suffix}`;
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const queuePrefix = `bench-rollup-${suffix}`;
  await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
  const firstDay = new Date(today.getTime() - (DAYS - 1) * DAY_MS);
  let app: { close(): Promise<void> } | undefined;
  try {
    const seedStart = performance.now();
    const seedSteps = await seedRollupBench(client, firstDay, { calls: CALLS, agents: AGENTS, days: DAYS });
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const { rows: agentRows } = await client.query<{ externalId: string }>('SELECT "externalId" FROM "Agent"');
    const { rows: teamRows } = await client.query<{ id: string }>('SELECT id FROM "Team"');
    const { rows: counts } = await client.query<{ calls: string; rollups: string }>(
      'SELECT (SELECT count(*) FROM "Call") AS calls, (SELECT count(*) FROM "AgentDailyRollup") AS rollups',
    );
    console.log(`seeded ${counts[0].calls} calls, ${counts[0].rollups} agent-day rollups in ${seedSeconds} s`, seedSteps);

    const env = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: queuePrefix, ...firstAdminEnv(BENCH_ADMIN) };
    const { createEarshotApp } = await import('../composition/earshot-app.js');
    const nest = await createEarshotApp({ config: loadConfig(env), withWorker: false });
    app = nest;
    await nest.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(nest.getHttpServer().address() as { port: number }).port}`;
    authorization = await signIn(baseUrl, BENCH_ADMIN, env.ADMIN_PASSWORD ?? '');

    const from = isoDay(new Date(today.getTime() - 29 * DAY_MS));
    const period = `from=${from}&to=${isoDay(today)}`;
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    const agentScorecard = await measure(baseUrl, () => `/v1/evaluation/agents/${pick(agentRows).externalId}?${period}&granularity=day`);
    const teamDrillDown = await measure(baseUrl, () => `/v1/evaluation/teams/${pick(teamRows).id}?${period}`);
    const ranking = await measure(baseUrl, () => `/v1/evaluation/rankings?metric=${pick(['qaScoreMean', 'complaintRate', 'conversionRate'])}&minSample=20&${period}`);
    const summary = {
      bench: 'rollup',
      calls: Number(counts[0].calls),
      agents: AGENTS,
      days: DAYS,
      agentDayRollups: Number(counts[0].rollups),
      seedSeconds,
      requestsEach: REQUESTS,
      periodDays: 30,
      agentScorecardMs: agentScorecard,
      teamDrillDownMs: teamDrillDown,
      rankingMs: ranking,
      targetP95Ms: 100,
      meetsTarget: [agentScorecard, teamDrillDown, ranking].every((m) => m.p95 < 100),
      cpus: cpus().length,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await app?.close();
    await client.end();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

await main();
