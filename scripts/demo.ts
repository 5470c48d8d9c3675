/**
 * `npm run demo`: Earshot end to end on embedded defaults. Starts the API with the pipeline workers in one process
 * (embedded PGlite when DATABASE_URL is unset, object storage in a local folder), sends the bundled English and
 * Chinese sample calls with their sidecar transcripts, waits for the pipeline and prints a per-call summary, then
 * keeps serving the console until Ctrl-C (`--exit` or DEMO_EXIT=1: stop when done, for tests and CI).
 * Redis is the one server it needs: REDIS_URL, else a private redis-server it starts when one is on the PATH.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { deleteQueueKeys } from '../libs/queue/src/redis-connection.js';
import { loadConfig } from '../libs/config/src/index.js';
import { firstAdminEnv, signIn } from './sign-in.js';
import { freePort } from './free-port.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DATA_DIR = join(ROOT, '.demo');
const CALL_TIMEOUT_MS = 120_000;
const DEMO_ADMIN_EMAIL = 'admin@demo.earshot.local';
const DEMO_PORT = Number(process.env.PORT ?? 3000);
const EXIT_WHEN_DONE = process.argv.includes('--exit') || process.env.DEMO_EXIT === '1';

interface SampleEntry {
  name: string;
  language: string;
  metadata: Record<string, unknown>;
}

interface CallView {
  id: string;
  status: string;
  currentStage: string | null;
  failure: { stage: string; reason: string } | null;
  metrics: { agentTalkShare: number | null; customerTalkShare: number | null; source: string } | null;
  findings: { ruleId: string; family: string | null; severity: string; hasClip: boolean; evidence: { text?: string } | null }[];
  evaluation: { score: number; autoFailed: boolean } | null;
}

let authorization = '';

async function main(): Promise<void> {
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  await rm(DATA_DIR, { recursive: true, force: true });
  const prefix = `earshot-demo-${randomBytes(3).toString('hex')}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    EARSHOT_DATA_DIR: DATA_DIR,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    CONSOLE_DIR: join(ROOT, 'dist/console'),
    // the demo's data folder starts empty, so this becomes its first (and only) user
    ...firstAdminEnv(DEMO_ADMIN_EMAIL),
  };
  const config = loadConfig(env);

  console.log(
    `Earshot demo — database: ${config.database.kind === 'postgres' ? 'DATABASE_URL' : 'embedded PGlite in .demo/'}, ` +
      `storage: ${config.storage.kind === 's3' ? 'S3' : 'local folder .demo/storage'}, redis: ${redis.url}${redis.child ? ' (private)' : ''}`,
  );
  const { createEarshotApp } = await import('../composition/earshot-app.js');
  const app = await createEarshotApp({ config, withWorker: true });
  try {
    // the usual port when it is free, so the console's address is the one the README gives; any free port otherwise
    await app.listen(DEMO_PORT, '127.0.0.1').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      await app.listen(0, '127.0.0.1');
    });
    const { port } = app.getHttpServer().address() as { port: number };
    const baseUrl = `http://127.0.0.1:${port}`;
    authorization = await signIn(baseUrl, DEMO_ADMIN_EMAIL, env.ADMIN_PASSWORD ?? '');
    console.log(`API on ${baseUrl} (OpenAPI at ${baseUrl}/docs); signed in as ${DEMO_ADMIN_EMAIL}, the admin created from ADMIN_EMAIL\n`);

    const samples = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as SampleEntry[];
    const uploaded: { sample: SampleEntry; id: string }[] = [];
    for (const sample of samples) {
      const form = new FormData();
      const audio = await readFile(join(ROOT, `samples/audio/${sample.name}.wav`));
      const transcript = await readFile(join(ROOT, `samples/audio/${sample.name}.transcript.json`));
      form.set('audio', new Blob([audio], { type: 'audio/wav' }), `${sample.name}.wav`);
      form.set('metadata', JSON.stringify(sample.metadata));
      form.set('transcript', new Blob([transcript], { type: 'application/json' }), `${sample.name}.transcript.json`);
      const response = await fetch(`${baseUrl}/v1/calls`, { method: 'POST', body: form, headers: { authorization } });
      const body = (await response.json()) as { id?: string; message?: unknown };
      if (!response.ok || !body.id) throw new Error(`upload of ${sample.name} failed: ${response.status} ${JSON.stringify(body.message)}`);
      console.log(`uploaded ${sample.name.padEnd(24)} -> call ${body.id} (${response.status})`);
      uploaded.push({ sample, id: body.id });
    }

    console.log('\nwaiting for transcribe -> analyse-audio -> check -> score -> clip -> rollup ...\n');
    let failed = 0;
    for (const { sample, id } of uploaded) {
      const call = await waitForCall(baseUrl, id);
      if (call.status !== 'completed') failed++;
      printSummary(sample, call);
    }
    console.log(`${uploaded.length - failed} of ${uploaded.length} calls completed.`);
    if (failed > 0) process.exitCode = 1;
    if (!EXIT_WHEN_DONE) {
      console.log(
        `\nOpen the console: ${baseUrl}/\n` +
          `  sign in as ${DEMO_ADMIN_EMAIL}\n` +
          `  password   ${env.ADMIN_PASSWORD}\n` +
          'Review the flagged calls in the queue; Ctrl-C stops the demo.',
      );
      await untilInterrupted();
      console.log('\nstopping ...');
    }
  } finally {
    await app.close();
    await redis.stop(prefix);
  }
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
}

function printSummary(sample: SampleEntry, call: CallView): void {
  const metrics = call.metrics;
  const share = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : `${Math.round(value * 100)}%`);
  console.log(`■ ${sample.name} [${sample.language}]  status=${call.status}`);
  if (call.failure) console.log(`    failed in ${call.failure.stage}: ${call.failure.reason}`);
  if (metrics) {
    console.log(`    talk: agent ${share(metrics.agentTalkShare)} / customer ${share(metrics.customerTalkShare)} (from ${metrics.source})`);
  }
  if (call.evaluation) {
    console.log(`    QA score: ${call.evaluation.score.toFixed(1)}${call.evaluation.autoFailed ? '  AUTO-FAIL (critical finding)' : ''}`);
  }
  if (call.findings.length === 0) console.log('    findings: none');
  for (const finding of call.findings) {
    const quote = finding.evidence?.text ? ` "${finding.evidence.text}"` : '';
    console.log(`    ${finding.severity.padEnd(8)} ${(finding.family ?? finding.ruleId).padEnd(28)}${quote}${finding.hasClip ? '  [clip]' : ''}`);
  }
  console.log('');
}

async function waitForCall(baseUrl: string, id: string): Promise<CallView> {
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  for (;;) {
    const call = (await (await fetch(`${baseUrl}/v1/calls/${id}`, { headers: { authorization } })).json()) as CallView;
    if (call.status === 'completed' || call.status === 'failed') return call;
    if (Date.now() > deadline) throw new Error(`call ${id} still ${call.status} at ${call.currentStage} after ${CALL_TIMEOUT_MS} ms`);
    await sleep(200);
  }
}

interface DemoRedis {
  url: string;
  child?: ChildProcess;
  stop(prefix: string): Promise<void>;
}

/** Uses the Redis at `url` when it answers; otherwise starts a private redis-server on a free port. */
async function ensureRedis(url: string): Promise<DemoRedis> {
  if (await answers(url)) {
    return { url, stop: (prefix) => deleteQueueKeys(url, prefix) };
  }
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      `no Redis answers at ${url} and redis-server is not on the PATH.\n` +
        '  Install it (Debian: apt-get install -y redis-server) or start one:\n' +
        '  redis-server --daemonize yes --port 6379 --save "" --appendonly no\n' +
        '  or point REDIS_URL at yours.',
    );
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(privateUrl)); i++) await sleep(100);
  return {
    url: privateUrl,
    child,
    async stop() {
      child.kill('SIGTERM');
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}


main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
