/**
 * The worker process (dist/apps/worker/src/main.js) and the API process (dist/composition/main.js), as deployed,
 * started with each dependency missing in turn: each must exit 1 with one message naming what is missing and how to
 * fix it, and start when nothing is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import pg from 'pg';
import { audioToolPath, useAudioTools } from '#libs/audio';
import { PIPELINE, stageJobId } from '#libs/queue';
import { freePort } from '../../scripts/free-port.js';
import {
  POSTGRES_ADMIN_URL,
  REDIS_URL,
  REPO_ROOT,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';

const WORKER = join(REPO_ROOT, 'dist/apps/worker/src/main.js');
const API = join(REPO_ROOT, 'dist/composition/main.js');

interface Outcome {
  code: number | null;
  output: string;
}

/** Runs the worker until it exits, or until it says it is running (then stops it: code null). */
function runWorker(env: Record<string, string>, timeoutMs = 40_000): Promise<Outcome> {
  return runProcess(WORKER, 'Earshot worker running', env, timeoutMs);
}

/** Runs an entry point until it exits, or until it prints `running` (then stops it: code null). */
function runProcess(entry: string, runningText: string, env: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ['--experimental-wasm-modules', entry], {
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'log' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let running = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!running && output.includes(runningText)) {
        running = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: running ? null : code, output });
    });
  });
}

describe('worker boot checks (each dependency missing in turn)', () => {
  let environment: TestEnvironment;
  let latestMigration: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const migrations = (await readdir(join(REPO_ROOT, 'prisma/migrations'), { withFileTypes: true })).filter((e) => e.isDirectory());
    latestMigration = migrations.map((e) => e.name).sort().at(-1) ?? '';
  }, 60_000);

  afterAll(async () => {
    await environment?.dispose();
  });

  it('starts when every dependency answers', async () => {
    const outcome = await runWorker(environment.env);
    expect(outcome.output).toContain('Earshot worker running');
    expect(outcome.code).toBeNull();
  }, 60_000);

  const refuses = (outcome: Outcome, dependency: string, problem: RegExp, fix: RegExp) => {
    expect(outcome.code).toBe(1);
    expect(outcome.output).toContain('Earshot cannot start: 1 dependency is not ready');
    expect(outcome.output).toMatch(new RegExp(`- ${dependency}: `));
    expect(outcome.output).toMatch(problem);
    expect(outcome.output).toMatch(fix);
    // one message, not a stack trace
    expect(outcome.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(outcome.output).not.toContain('Earshot worker running');
  };

  it('refuses without a runnable ffmpeg', async () => {
    const outcome = await runWorker({ ...environment.env, FFMPEG_PATH: '/nonexistent/ffmpeg' });
    refuses(outcome, 'ffmpeg', /cannot be run \(\/nonexistent\/ffmpeg/, /fix: .*FFMPEG_PATH/);
  }, 60_000);

  it('refuses when the database does not answer', async () => {
    const port = await freePort();
    const outcome = await runWorker({ ...environment.env, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/earshot` });
    refuses(outcome, 'database', /cannot query postgresql:\/\/postgres@127\.0\.0\.1:\d+\/earshot/, /fix: start PostgreSQL, or correct DATABASE_URL/);
  }, 60_000);

  it('refuses a database not migrated to the latest migration, naming it', async () => {
    const name = `earshot_boot_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const outcome = await runWorker({ ...environment.env, DATABASE_URL: POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
      refuses(outcome, 'database', new RegExp(`is not migrated: \\d+ migration\\(s\\) pending, the latest ${latestMigration}`), /fix: run `npm run db:migrate`/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  }, 60_000);

  it('refuses when Redis does not answer', async () => {
    const port = await freePort();
    const outcome = await runWorker({ ...environment.env, REDIS_URL: `redis://127.0.0.1:${port}` });
    refuses(outcome, 'Redis', new RegExp(`cannot reach redis://127.0.0.1:${port}`), /fix: start Redis, or correct REDIS_URL/);
  }, 60_000);

  it('refuses a Redis that evicts keys', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], {
      stdio: 'ignore',
    });
    try {
      await waitForPort(port);
      const outcome = await runWorker({ ...environment.env, REDIS_URL: `redis://127.0.0.1:${port}` });
      refuses(outcome, 'Redis', /maxmemory-policy allkeys-lru/, /fix: set maxmemory-policy noeviction/);
    } finally {
      redis.kill('SIGTERM');
    }
  }, 60_000);

  it('refuses storage it cannot write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-boot-'));
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    try {
      const outcome = await runWorker({ ...environment.env, S3_ENDPOINT: '', STORAGE_DIR: join(file, 'storage') });
      refuses(outcome, 'storage', /cannot write to folder .*a-file\/storage/, /fix: make STORAGE_DIR/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a transcription provider that does not answer', async () => {
    const port = await freePort();
    const outcome = await runWorker({
      ...environment.env,
      TRANSCRIPTION_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
    });
    refuses(outcome, 'transcription provider', /TRANSCRIPTION_PROVIDER=openai but http:\/\/127\.0\.0\.1:\d+ does not answer/, /fix: correct OPENAI_BASE_URL/);
  }, 60_000);

  it('lists every missing dependency in the one message', async () => {
    const port = await freePort();
    const outcome = await runWorker({ ...environment.env, FFPROBE_PATH: '/nonexistent/ffprobe', REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(outcome.code).toBe(1);
    expect(outcome.output).toContain('Earshot cannot start: 2 dependencies are not ready');
    expect(outcome.output).toMatch(/- ffprobe: /);
    expect(outcome.output).toMatch(/- Redis: /);
  }, 60_000);
});

describe('API process boot checks (each dependency missing in turn)', () => {
  let environment: TestEnvironment;

  /** the API alone (DATABASE_URL is Postgres: no workers in the process), on a free port */
  const runApi = async (env: Record<string, string>): Promise<Outcome> =>
    runProcess(API, 'Earshot API on', { ...env, HOST: '127.0.0.1', PORT: String(await freePort()) }, 40_000);

  const refuses = (outcome: Outcome, dependency: string, problem: RegExp, fix: RegExp) => {
    expect(outcome.code).toBe(1);
    expect(outcome.output).toContain('Earshot cannot start: 1 dependency is not ready');
    expect(outcome.output).toMatch(new RegExp(`- ${dependency}: `));
    expect(outcome.output).toMatch(problem);
    expect(outcome.output).toMatch(fix);
    expect(outcome.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(outcome.output).not.toContain('Earshot API on');
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
  }, 60_000);

  afterAll(async () => {
    await environment?.dispose();
  });

  it('starts when every dependency answers, without checking the transcription provider it never calls', async () => {
    const port = await freePort();
    const outcome = await runApi({ ...environment.env, TRANSCRIPTION_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expect(outcome.output).toContain('Earshot API on http://127.0.0.1:');
    expect(outcome.code).toBeNull();
  }, 60_000);

  it('refuses without a runnable ffprobe (library exports and waveforms decode audio)', async () => {
    const outcome = await runApi({ ...environment.env, FFPROBE_PATH: '/nonexistent/ffprobe' });
    refuses(outcome, 'ffprobe', /cannot be run \(\/nonexistent\/ffprobe/, /fix: .*FFPROBE_PATH/);
  }, 60_000);

  it('refuses a database not migrated to the latest migration', async () => {
    const name = `earshot_boot_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const outcome = await runApi({ ...environment.env, DATABASE_URL: POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`) });
      refuses(outcome, 'database', /is not migrated: \d+ migration\(s\) pending/, /fix: run `npm run db:migrate`/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    }
  }, 60_000);

  it('refuses when the database does not answer', async () => {
    const port = await freePort();
    const outcome = await runApi({ ...environment.env, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/earshot` });
    refuses(outcome, 'database', /cannot query postgresql:\/\/postgres@127\.0\.0\.1:\d+\/earshot/, /fix: start PostgreSQL, or correct DATABASE_URL/);
  }, 60_000);

  it('refuses a Redis that evicts keys', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'volatile-lru'], {
      stdio: 'ignore',
    });
    try {
      await waitForPort(port);
      const outcome = await runApi({ ...environment.env, REDIS_URL: `redis://127.0.0.1:${port}` });
      refuses(outcome, 'Redis', /maxmemory-policy volatile-lru/, /fix: set maxmemory-policy noeviction/);
    } finally {
      redis.kill('SIGTERM');
    }
  }, 60_000);

  it('refuses storage it cannot write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'earshot-boot-'));
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    try {
      const outcome = await runApi({ ...environment.env, S3_ENDPOINT: '', STORAGE_DIR: join(file, 'storage') });
      refuses(outcome, 'storage', /cannot write to folder .*a-file\/storage/, /fix: make STORAGE_DIR/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('an environment error after boot', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ JOB_ATTEMPTS: '5', JOB_BACKOFF_MS: '100', METRICS_TOKEN: 'boot-checks-metrics-token' });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('fails the call once, naming the fix, instead of retrying it', async () => {
    const working = { ffmpeg: audioToolPath('ffmpeg'), ffprobe: audioToolPath('ffprobe') };
    // ffmpeg vanishes after the boot checks passed (an upgrade, a broken mount); the stereo call needs it to decode
    useAudioTools({ ffmpeg: { path: '/nonexistent/ffmpeg', source: 'setting' }, ffprobe: { path: working.ffprobe, source: 'path' } });
    try {
      const sample = await loadSample('zh-baoben');
      const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
      expect(upload.status).toBe(201);
      const call = await waitForCall(baseUrl, upload.body.id as string);
      expect(call.status).toBe('failed');
      expect(call.failure?.stage).toBe('analyse-audio');
      expect(call.failure?.reason).toMatch(/ffmpeg cannot be run .*FFMPEG_PATH/);
      // a call with its transcript is one job in the analysis lane, from its transcribe stage on
      const queue = new Queue(PIPELINE['analyse-audio'].queue, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
      try {
        const job = await queue.getJob(stageJobId(upload.body.id as string, 'transcribe'));
        expect(await job?.getState()).toBe('failed');
        expect(job?.attemptsMade).toBe(1);
      } finally {
        await queue.close();
      }
      // the on-call engineer sees it as an environment failure, not a bad recording
      const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: 'Bearer boot-checks-metrics-token' } })).text();
      expect(metrics).toMatch(/^earshot_stage_jobs_total\{stage="analyse-audio",outcome="failed",reason="environment"\} 1$/m);
      expect(metrics).not.toMatch(/outcome="retried"/);
      expect(metrics).toMatch(/^earshot_calls_finished_total\{status="failed"\} 1$/m);
    } finally {
      useAudioTools({ ffmpeg: { path: working.ffmpeg, source: 'path' }, ffprobe: { path: working.ffprobe, source: 'path' } });
    }
  }, 60_000);
});

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server on ${port} did not start`);
}
