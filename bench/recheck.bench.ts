/**
 * npm run bench:recheck [-- --calls N --backtests R] — seeds N stored calls (default 100,000) with 10-minute English
 * transcripts straight into a fresh Postgres database (one multi-row INSERT ... SELECT per table, not the API),
 * publishes a 200-rule pack (the shipped English rules plus synthetic ones shaped like them) that the calls'
 * campaign runs, then:
 *  - re-checks every call with it as one bulk job on the bulk queue (BullMQ, the worker's BulkWorker): target
 *    >= 1,000 calls/s with the findings written (the calls start with none, so every finding is an insert);
 *  - backtests a draft of one rule over all N calls, R times (default 5), as the API runs a large backtest (a bulk
 *    job): target p95 < 10 s.
 * The pipeline's own workers do not run here: the re-scoring the re-check queues is counted, not run.
 * Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import pg from 'pg';
import { BulkWorker } from '../apps/worker/src/bulk-worker.js';
import { ConfigModule, loadConfig } from '../libs/config/src/index.js';
import { DatabaseModule, RuleBacktestRunRepository } from '../libs/db/src/index.js';
import { applyMigrations } from '../libs/db/src/migrate/index.js';
import { JobQueues, QueueModule, SideQueueName } from '../libs/queue/src/index.js';
import { RuleBacktestJobs, RuleCatalogModule, RuleCatalogService } from '../libs/rule-catalog/src/index.js';
import { loadShippedPacks } from '../libs/rule-packs/src/index.js';
import { type RulePack, SEARCHABLE_VERSION, encodeSearchSegments, searchableTranscript } from '../libs/rules/src/index.js';
import { EN_WORDS, rng, syntheticTranscript } from './synthetic-calls.js';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CALLS = Number(argument('--calls') ?? 100_000);
const BACKTESTS = Number(argument('--backtests') ?? 5);
const RULES = 200;
const TEMPLATES = 64;
const AGENTS = 100;
const ACTOR = 'bench:recheck';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Synthetic English rules shaped like the shipped ones (bench/rules.bench.ts): phrase sets, proximity, negation, regex. */
function syntheticRules(count: number, seed: number): RulePack['rules'] {
  const r = rng(seed);
  const pick = () => EN_WORDS[Math.floor(r() * EN_WORDS.length)] as string;
  const phrase = () => {
    const words = Array.from({ length: 2 + Math.floor(r() * 3) }, pick);
    if (r() < 0.75) words[Math.floor(r() * words.length)] = `zq${Math.floor(r() * 5000)}`;
    return words.join(' ');
  };
  return Array.from({ length: count }, (_, i) => {
    const kind = r();
    const phrases = Array.from({ length: 6 + Math.floor(r() * 10) }, phrase);
    let match: RulePack['rules'][number]['match'];
    if (kind < 0.6) match = { phrases };
    else if (kind < 0.8) match = { near: [{ phrases: phrases.slice(0, 3) }, { phrases: phrases.slice(3) }], within: 5 };
    else if (kind < 0.9) match = { all: [{ phrases: phrases.slice(0, 4) }, { not: { phrases: phrases.slice(4) } }] };
    else {
      const anchor = phrase();
      match = { regex: `${anchor}\\s+\\S+\\s+${phrase()}`, anchors: [anchor] };
    }
    return {
      id: `bench.${i}`,
      version: 1,
      family: 'pressure_tactics',
      severity: 'minor' as const,
      dimension: 'compliance' as const,
      description: 'synthetic',
      regulation: 'none',
      speaker: r() < 0.5 ? ('agent' as const) : ('any' as const),
      required: false,
      negationAware: r() < 0.4,
      match,
      enabled: true,
    };
  }) as RulePack['rules'];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function seed(client: pg.Client, campaignId: string): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await client.query(sql, params);
    timings[name] = Math.round(performance.now() - t);
  };
  await client.query('SET synchronous_commit = off');
  await step(
    'agents',
    `INSERT INTO "Agent"(id, "externalId", name) SELECT gen_random_uuid(), 'bench-agent-' || n, 'Agent ' || n FROM generate_series(1, ${AGENTS}) n`,
  );
  await step(
    'calls',
    `WITH a AS (SELECT id, (row_number() OVER (ORDER BY "externalId")) - 1 AS k FROM "Agent")
     INSERT INTO "Call"(id, "agentId", "campaignId", "customerPhone", direction, "startedAt", "durationSeconds", disposition, "channelLayout",
                        language, "audioKey", "audioSha256", "audioBytes", "audioContentType", status, "completedAt", "updatedAt")
     SELECT gen_random_uuid(), a.id, $1::uuid, '+1415' || lpad((i % 9000000)::text, 7, '0'), 'outbound', now() - ((i % 30) * interval '1 day') - interval '1 hour',
            600, 'connected', 'stereo', 'en', 'bench/' || i, md5('recheck' || i), 1000, 'audio/wav', 'completed', now(), now()
     FROM generate_series(0, ${CALLS - 1}) i JOIN a ON a.k = i % ${AGENTS}`,
    [campaignId],
  );
  // each transcript with its searchable form, as the pipeline stores it
  const transcripts = Array.from({ length: TEMPLATES }, (_, i) => syntheticTranscript(7000 + i, 'en'));
  const searchable = transcripts.map((t) => searchableTranscript(t.segments));
  await client.query('CREATE TEMP TABLE bench_template (k int, segments jsonb, search_text text, search_segments text)');
  await client.query(
    `INSERT INTO bench_template SELECT k - 1, s::jsonb, st, ss FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(s, st, ss, k)`,
    [transcripts.map((t) => JSON.stringify(t.segments)), searchable.map((s) => s.text), searchable.map(encodeSearchSegments)],
  );
  await step(
    'transcripts',
    `INSERT INTO "Transcript"("callId", provider, language, "rolesSource", "rolesConfidence", segments, "searchText", "searchSegments", "searchVersion", "updatedAt")
     SELECT c.id, 'bench', 'en', 'channel', 1, t.segments, t.search_text, t.search_segments, ${SEARCHABLE_VERSION}, now()
     FROM (SELECT id, (row_number() OVER (ORDER BY id)) % ${TEMPLATES} AS k FROM "Call") c JOIN bench_template t ON t.k = c.k`,
  );
  const t = performance.now();
  await client.query('ANALYZE');
  timings.analyze = Math.round(performance.now() - t);
  return timings;
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `bench_recheck_${suffix}`;
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const queuePrefix = `bench-recheck-${suffix}`;
  await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let app: { close(): Promise<void> } | undefined;
  try {
    const { rows: campaign } = await client.query<{ id: string }>(
      `INSERT INTO "Campaign"(id, "externalId", name, "rulePacks") VALUES (gen_random_uuid(), 'bench', 'bench', '{}') RETURNING id`,
    );
    const campaignId = campaign[0]?.id as string;
    const seedStart = performance.now();
    const seedSteps = await seed(client, campaignId);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const { rows: size } = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size('"Transcript"') AS bytes`);
    console.log(`seeded ${CALLS} calls with transcripts in ${seedSeconds} s (transcripts ${Math.round(Number(size[0]?.bytes) / 1048576)} MiB)`, seedSteps);

    const env = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: queuePrefix };
    const config = loadConfig(env);
    @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, QueueModule, RuleCatalogModule], providers: [BulkWorker] })
    class RecheckBenchRoot {}
    const context = await NestFactory.createApplicationContext(RecheckBenchRoot, { logger: ['error', 'warn'] });
    context.enableShutdownHooks();
    app = context;
    await context.init();
    const catalog = context.get(RuleCatalogService);
    const queues = context.get(JobQueues);

    // the 200-rule pack: the shipped English rules and synthetic ones, published and chosen by the calls' campaign
    const shipped = loadShippedPacks().find((p) => p.language === 'en') as RulePack;
    const pack = { language: 'en', description: 'bench', rules: [...shipped.rules, ...syntheticRules(RULES - shipped.rules.length, 42)] };
    const key = 'bench-200.en';
    await catalog.create(key, pack, ACTOR);
    const draft = await catalog.draft(key);
    await catalog.recordBacktest(key, draft.pack, draft.draftUpdatedAt, ACTOR, { calls: 0, hits: 0 });
    await catalog.publish(key, 'bench pack', ACTOR);
    await catalog.setCampaignPacks(campaignId, [key], ACTOR);

    const bulk = queues.queue(SideQueueName.Bulk);
    const load0 = loadavg()[0];
    const started = performance.now();
    const jobId = await queues.enqueueRecheck({ from: new Date(0).toISOString(), to: new Date().toISOString(), packKey: key, requestedBy: ACTOR });
    let state = '';
    for (;;) {
      const job = await queues.recheckJob(jobId);
      state = job?.state ?? 'missing';
      if (state === 'completed' || state === 'failed' || state === 'missing') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const job = await bulk.getJob(jobId);
    if (!job || state !== 'completed') throw new Error(`re-check ${state}: ${job?.failedReason ?? ''}`);
    const jobSeconds = ((job.finishedOn ?? 0) - (job.processedOn ?? 0)) / 1000;
    const progress = job.returnvalue as { processed: number; callsChanged: number; findingsAdded: number };
    const { rows: counted } = await client.query<{ findings: string }>(`SELECT count(*) AS findings FROM "Finding"`);
    const rescoreQueued = await queues.queue('analysis' as never).getWaitingCount();
    const recheck = {
      calls: progress.processed,
      jobSeconds: Number(jobSeconds.toFixed(1)),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      callsPerSecond: Math.round(progress.processed / jobSeconds),
      findingsWritten: Number(counted[0]?.findings),
      findingsAdded: progress.findingsAdded,
      callsChanged: progress.callsChanged,
      rescoreJobsQueued: rescoreQueued,
      loadBefore: Number(load0?.toFixed(1)),
      loadAfter: Number(loadavg()[0]?.toFixed(1)),
      targetCallsPerSecond: 1000,
    };
    console.log(`re-check: ${recheck.calls} calls in ${recheck.jobSeconds} s = ${recheck.callsPerSecond} calls/s, ${recheck.findingsWritten} findings written, ${rescoreQueued} re-scores queued`);

    // a draft of one rule, backtested over every call as the API runs a large one (a bulk job on the worker side)
    const jobs = context.get(RuleBacktestJobs);
    const runs = context.get(RuleBacktestRunRepository);
    const oneRule = { language: 'en', rules: [{ id: 'bench.draft', version: 1, family: 'guaranteed_returns', severity: 'critical', dimension: 'compliance', description: 'draft', regulation: 'none', speaker: 'agent', match: { phrases: ['guaranteed returns', 'earn at least'] } }] };
    await catalog.create('bench-draft.en', oneRule, ACTOR);
    const times: number[] = [];
    let lastCalls = 0;
    for (let i = 0; i < BACKTESTS; i++) {
      const d = await catalog.draft('bench-draft.en');
      const t = performance.now();
      const run = await jobs.start({ key: 'bench-draft.en', pack: d.pack, draftUpdatedAt: d.draftUpdatedAt, live: d.live, scope: { filter: {}, limit: CALLS }, examplesPerRule: 3, actor: ACTOR, request: {} });
      for (;;) {
        const r = await runs.find(run.id);
        if (r && r.status !== 'running') {
          if (r.status !== 'completed') throw new Error(`backtest ${r.status}: ${r.error ?? ''}`);
          lastCalls = (r.result as { calls: number }).calls;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      times.push((performance.now() - t) / 1000);
      console.log(`backtest ${i + 1}: ${lastCalls} calls in ${times[times.length - 1]?.toFixed(1)} s`);
    }
    times.sort((a, b) => a - b);
    const backtest = { calls: lastCalls, runs: BACKTESTS, p50Seconds: Number(percentile(times, 50).toFixed(2)), p95Seconds: Number(percentile(times, 95).toFixed(2)), targetP95Seconds: 10 };

    const cpu = cpus();
    console.log(
      JSON.stringify({
        bench: 'recheck',
        machine: `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0]?.toFixed(1)} at the end`,
        calls: CALLS,
        rules: RULES,
        transcriptSeconds: 600,
        seedSeconds,
        recheck,
        backtest,
        meetsTarget: { recheck: recheck.callsPerSecond >= 1000, backtest: backtest.p95Seconds < 10 },
      }),
    );
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
