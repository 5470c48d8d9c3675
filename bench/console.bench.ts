/**
 * npm run bench:console [-- --runs N] — the console in Debian's Chromium against the production-shaped stack (built
 * API and worker processes, Postgres, Redis, s3rver) holding 10,000 open findings and a 60-minute call (1,000
 * transcript segments, processed by the real pipeline). Measures, each run in a fresh browser context (empty cache):
 * navigation to the queue's first page rendered, and to the 60-minute call's transcript and waveform ready (the
 * console's own performance marks); and the initial JavaScript (what index.html loads) gzipped. Targets on the
 * 2-core machine: queue < 1.0 s, call view < 2.0 s, initial JS < 300 KB gzip. Then (unless --no-dashboards) seeds the
 * rollup bench's organisation into the same database — 1,000,000 calls across 500 agents over 90 days with their daily
 * rollups (`--dashboard-calls N` for fewer) — and measures navigation to a team's drill-down (30 days) and to an
 * agent's page rendered. Target < 1.5 s each. Last line: one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { ROOT, type Stack, startStack, uploadCall, uploadSamples, waitForCalls } from '../scripts/stack/earshot-stack.js';
import { seedRollupBench } from './rollup-seed.js';

// without --runs, indexOf is -1 and argv[0] (the node binary) read as a number was NaN: no browser run at all
const RUNS_AT = process.argv.indexOf('--runs');
const RUNS = RUNS_AT >= 0 ? Number(process.argv[RUNS_AT + 1]) || 5 : 5;
const FINDINGS = 10_000;
const CALL_MINUTES = 60;
const SEGMENTS = 1_000;
const DASHBOARDS = !process.argv.includes('--no-dashboards');
// skips the queue and call-view phase (its 60-minute call takes minutes to process)
const DASHBOARDS_ONLY = process.argv.includes('--dashboards-only');
const DASHBOARD_CALLS_AT = process.argv.indexOf('--dashboard-calls');
const DASHBOARD_CALLS = DASHBOARD_CALLS_AT >= 0 ? Number(process.argv[DASHBOARD_CALLS_AT + 1]) || 1_000_000 : 1_000_000;
const DASHBOARD_AGENTS = 500;
const DASHBOARD_DAYS = 90;
const DAY_MS = 86_400_000;

async function main(): Promise<void> {
  const initialJs = await initialJavaScript();
  console.log(`initial JavaScript: ${initialJs.files.join(', ')} = ${(initialJs.gzipBytes / 1024).toFixed(1)} KB gzip (${(initialJs.rawBytes / 1024).toFixed(0)} KB raw)`);
  const stack = await startStack({ logDir: join(ROOT, 'test-results/bench-console') });
  const work = await mkdtemp(join(tmpdir(), 'earshot-bench-console-'));
  try {
    console.log('seeding: the sample calls, a 60-minute call through the pipeline, then 10,000 open findings ...');
    const samples = await uploadSamples(stack);
    const longCall = DASHBOARDS_ONLY ? (Object.values(samples)[0] as string) : await uploadLongCall(stack, work);
    await waitForCalls(stack, [...Object.values(samples), longCall], 600_000);
    if (!DASHBOARDS_ONLY) await seedFindings(stack.databaseUrl);

    const api: Record<string, number> = {};
    for (const path of ['/v1/auth/me', '/v1/findings?status=pending', '/v1/findings/counts?status=pending', '/v1/campaigns', `/v1/calls/${longCall}`, `/v1/calls/${longCall}/waveform`]) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const response = await stack.adminFetch(path);
        await response.arrayBuffer();
        times.push(performance.now() - started);
      }
      api[path.replace(longCall, ':id')] = median(times);
    }
    console.log(`API alone, median of 10 sequential requests (ms): ${JSON.stringify(api)}`);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const queue: number[] = [];
    const call: number[] = [];
    const drillDown: number[] = [];
    const agentPage: number[] = [];
    let dashboards: { calls: number; agents: number; agentDayRollups: number; seedSeconds: number; path: { drillDown: string; agentPage: string } } | null = null;
    try {
      for (let run = 0; run < (DASHBOARDS_ONLY ? 0 : RUNS); run++) {
        queue.push(await measure(browser, stack, '/queue', 'earshot:queue-rendered'));
        call.push(await measure(browser, stack, `/calls/${longCall}`, 'earshot:call-ready'));
        console.log(`run ${run + 1}: queue ${queue.at(-1)?.toFixed(0)} ms, 60-minute call ${call.at(-1)?.toFixed(0)} ms`);
      }
      if (DASHBOARDS) {
        dashboards = await seedDashboards(stack.databaseUrl);
        console.log(`dashboards: seeded ${dashboards.calls} calls, ${dashboards.agentDayRollups} agent-day rollups in ${dashboards.seedSeconds} s`);
        for (let run = 0; run < RUNS; run++) {
          drillDown.push(await measureRendered(browser, stack, dashboards.path.drillDown, ['[data-testid="drill-down"] tr[data-level="agent"]']));
          agentPage.push(await measureRendered(browser, stack, dashboards.path.agentPage, ['[data-testid="scorecard"]', '.recharts-surface']));
          console.log(`run ${run + 1}: team drill-down ${drillDown.at(-1)?.toFixed(0)} ms, agent page ${agentPage.at(-1)?.toFixed(0)} ms`);
        }
      }
    } finally {
      await browser.close();
    }
    const result = {
      bench: 'console',
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
      browser: `Debian chromium, headless`,
      openFindings: await countFindings(stack.databaseUrl),
      longCallSegments: SEGMENTS,
      runs: RUNS,
      queueFirstPageMs: queue.length ? { median: median(queue), max: Math.max(...queue) } : null,
      callViewReadyMs: call.length ? { median: median(call), max: Math.max(...call) } : null,
      initialJsGzipKB: Number((initialJs.gzipBytes / 1024).toFixed(1)),
      apiMedianMs: api,
      ...(dashboards
        ? {
            dashboards: { calls: dashboards.calls, agents: dashboards.agents, agentDayRollups: dashboards.agentDayRollups, seedSeconds: dashboards.seedSeconds, periodDays: 30 },
            teamDrillDownMs: { median: median(drillDown), max: Math.round(Math.max(...drillDown)) },
            agentPageMs: { median: median(agentPage), max: Math.round(Math.max(...agentPage)) },
          }
        : {}),
      targets: { queueMs: 1000, callViewMs: 2000, initialJsGzipKB: 300, ...(dashboards ? { teamDrillDownMs: 1500, agentPageMs: 1500 } : {}) },
      met:
        (DASHBOARDS_ONLY || (median(queue) < 1000 && median(call) < 2000)) &&
        initialJs.gzipBytes < 300 * 1024 &&
        (!dashboards || (median(drillDown) < 1500 && median(agentPage) < 1500)),
    };
    console.log(JSON.stringify(result));
  } finally {
    await stack.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Navigation start to the console's ready mark, in a new context (no cache), signed in by the session cookie. */
async function measure(browser: import('@playwright/test').Browser, stack: Stack, path: string, mark: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const login = await context.request.post(`${stack.baseUrl}/v1/auth/login`, { data: { ...stack.admin, session: 'cookie' } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}${path}`);
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, mark, { timeout: 60_000 });
    if (process.argv.includes('--timeline')) {
      const timeline = await page.evaluate(() =>
        performance.getEntriesByType('resource').map((e) => `${Math.round(e.startTime)}-${Math.round((e as unknown as { responseEnd: number }).responseEnd)} ${e.name.replace(/^https?:\/\/[^/]+/, '')}`),
      );
      console.log(timeline.join('\n'));
    }
    return page.evaluate((name) => (performance.getEntriesByName(name)[0] as { startTime: number }).startTime, mark);
  } finally {
    await context.close();
  }
}

/** Navigation start until every selector is on the page, in a new context (no cache), signed in by the session cookie. */
async function measureRendered(browser: import('@playwright/test').Browser, stack: Stack, path: string, selectors: string[]): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const login = await context.request.post(`${stack.baseUrl}/v1/auth/login`, { data: { ...stack.admin, session: 'cookie' } });
    if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error on ${path}: ${error.message}`));
    page.on('crash', () => console.error(`page crashed on ${path}`));
    await page.goto(`${stack.baseUrl}${path}`);
    for (const selector of selectors) await page.locator(selector).first().waitFor({ state: 'visible', timeout: 60_000 });
    // awaited here: returned un-awaited, the finally below would close the context under it
    return await page.evaluate(() => performance.now());
  } finally {
    await context.close();
  }
}

/** The rollup bench's seed in the stack's database; the paths measured: Team 1's drill-down and an agent's page, last 30 days. */
async function seedDashboards(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
    const started = performance.now();
    await seedRollupBench(client, new Date(today.getTime() - (DASHBOARD_DAYS - 1) * DAY_MS), { calls: DASHBOARD_CALLS, agents: DASHBOARD_AGENTS, days: DASHBOARD_DAYS });
    const seedSeconds = Math.round((performance.now() - started) / 100) / 10;
    const { rows } = await client.query<{ rollups: string }>(`SELECT count(*) AS rollups FROM "AgentDailyRollup" r JOIN "Agent" a ON a.id = r."agentId" WHERE a."externalId" LIKE 'bench-agent-%'`);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const period = `from=${day(new Date(today.getTime() - 29 * DAY_MS))}&to=${day(today)}`;
    return {
      calls: DASHBOARD_CALLS,
      agents: DASHBOARD_AGENTS,
      agentDayRollups: Number(rows[0]?.rollups ?? 0),
      seedSeconds,
      path: { drillDown: `/dashboards?${period}&team=${encodeURIComponent('Team 1')}`, agentPage: `/dashboards/agents/bench-agent-0001?${period}` },
    };
  } finally {
    await client.end();
  }
}

/** A 60-minute stereo recording (agent and customer tones taking turns) with a 1,000-segment sidecar transcript. */
async function uploadLongCall(stack: Stack, dir: string): Promise<string> {
  const seconds = CALL_MINUTES * 60;
  const audioPath = join(dir, 'long.mp3');
  const made = spawnSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}:sample_rate=8000`,
    '-f', 'lavfi', '-i', `sine=frequency=330:duration=${seconds}:sample_rate=8000`,
    '-filter_complex', '[0]volume=0.5:eval=frame:volume=\'if(lt(mod(t,7.2),3.6),1,0.02)\'[a];[1]volume=0.5:eval=frame:volume=\'if(lt(mod(t,7.2),3.6),0.02,1)\'[b];[a][b]join=inputs=2:channel_layout=stereo',
    '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '32k', audioPath,
  ]);
  if (made.status !== 0) throw new Error(`ffmpeg could not make the long call: ${made.stderr.toString()}`);
  const step = seconds / SEGMENTS;
  const segments = Array.from({ length: SEGMENTS }, (_, i) => ({
    speaker: i % 2 === 0 ? 'agent' : 'customer',
    start: Number((i * step).toFixed(2)),
    end: Number((i * step + step - 0.2).toFixed(2)),
    text:
      i % 2 === 1
        ? 'I see, can you tell me a little more about how that works for someone like me?'
        : i % 97 === 0
          ? 'This fund has guaranteed returns, so you cannot lose money with us.'
          : 'Let me walk you through the product, the fees and the risks before you decide anything today.',
  }));
  const transcript = { format: 'earshot.transcript.v1', language: 'en', rolesSource: 'channel', segments };
  await writeFile(join(dir, 'long.json'), JSON.stringify(transcript));
  return uploadCall(stack, {
    audio: await readFile(audioPath),
    audioName: 'long.mp3',
    transcript: Buffer.from(JSON.stringify(transcript)),
    metadata: {
      externalId: 'bench-long-001',
      agentExternalId: 'agent-001',
      campaignExternalId: 'fund-q4',
      customerPhone: '+14155550100',
      direction: 'outbound',
      startedAt: '2026-11-25T10:00:00-08:00',
      timeZone: 'America/Los_Angeles',
      channelLayout: 'stereo',
      language: 'en',
    },
  });
}

/** 10,000 open findings spread over the sample calls, straight into Postgres (the queue's shape, not the pipeline's work). */
async function seedFindings(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Finding" ("id", "callId", "dedupeKey", "source", "ruleId", "ruleVersion", "family", "severity", "dimension",
         "description", "evidenceText", "startSeconds", "endSeconds", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), calls.ids[1 + g % array_length(calls.ids, 1)], 'bench:' || g, 'rule', 'bench.guarantee', '1', 'guaranteed_returns',
         (ARRAY['critical', 'major', 'minor'])[1 + g % 3]::"Severity", 'compliance', 'Agent promises guaranteed returns (bench)',
         'guaranteed returns', 7, 9, now() - make_interval(secs => g), now()
       FROM generate_series(1, $1::int) AS g, (SELECT array_agg("id") AS ids FROM "Call" WHERE "externalId" LIKE 'demo-%') AS calls`,
      [FINDINGS],
    );
  } finally {
    await client.end();
  }
}

async function countFindings(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query(`SELECT count(*) FROM "Finding" WHERE "reviewState" = 'pending'`)).rows[0].count);
  } finally {
    await client.end();
  }
}

/** The scripts index.html loads before anything is clicked: the entry and its modulepreloads. */
async function initialJavaScript(): Promise<{ files: string[]; rawBytes: number; gzipBytes: number }> {
  const html = await readFile(join(ROOT, 'dist/console/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const body = await readFile(join(ROOT, 'dist/console', file));
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files, rawBytes, gzipBytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] as number);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
