/**
 * Earshot as it runs in production, on this machine: the built API and a worker as separate processes against a
 * fresh Postgres database, a Redis key prefix of their own and an S3-protocol server (s3rver). The browser tests
 * and the console benchmark drive it; stop() removes everything it made.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import S3rver from 's3rver';
import { deleteQueueKeys } from '../../libs/queue/src/redis-connection.js';
import { freePort } from '../free-port.js';

/** The repository root, whether this runs from its source (tests) or from dist/ (the benchmark). */
export const ROOT = (() => {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BOOT_TIMEOUT_MS = 60_000;

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  /** s3rver's folder: the bucket's objects are `<s3Dir>/<bucket>/<key>._S3rver_object` */
  s3Dir: string;
  bucket: string;
  /** the Redis key prefix of the stack's queues */
  queuePrefix: string;
  admin: { email: string; password: string };
  /** fetch as the admin, with a bearer session token */
  adminFetch(path: string, init?: RequestInit): Promise<Response>;
  /** the admin's bearer session token, for clients other than fetch */
  adminToken: string;
  /** the running worker processes, by index */
  workers(): ChildProcess[];
  /** SIGKILLs worker `index` (a crash: no shutdown hook runs) and starts a new one in its place */
  killAndRestartWorker(index: number): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  logDir: string;
  env?: Record<string, string>;
  /** objects in a local folder both processes share instead of s3rver (the pipeline bench: storage is not what it measures) */
  storage?: 's3' | 'local';
  /** worker processes (default 1) */
  workers?: number;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const suffix = randomBytes(4).toString('hex');
  const database = `earshot_stack_${suffix}`;
  const databaseUrl = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const prefix = `stack-${suffix}`;
  const s3Dir = await mkdtemp(join(tmpdir(), 'earshot-stack-s3-'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, resetOnClose: true });
  const { port: s3Port } = await s3.run();
  const children: ChildProcess[] = [];
  const admin = { email: 'admin@earshot.test', password: 'correct horse battery staple' };
  await mkdir(options.logDir, { recursive: true });

  const stop = async () => {
    await Promise.all(children.map((child) => stopChild(child)));
    await s3.close().catch(() => undefined);
    await rm(s3Dir, { recursive: true, force: true });
    await deleteQueueKeys(REDIS_URL, prefix).catch(() => undefined);
    await dropDatabase(database).catch(() => undefined);
  };
  try {
    await run('node', ['--experimental-wasm-modules', join(ROOT, 'dist/scripts/db-migrate.js')], { DATABASE_URL: databaseUrl }, join(options.logDir, 'migrate.log'));
    const port = await freePort();
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ...(options.storage === 'local'
        ? { STORAGE_DIR: join(s3Dir, 'local-storage') }
        : {
            S3_ENDPOINT: '127.0.0.1',
            S3_PORT: String(s3Port),
            S3_ACCESS_KEY: 'S3RVER',
            S3_SECRET_KEY: 'S3RVER',
            S3_REGION: 'us-east-1',
            S3_BUCKET: `earshot-${suffix}`,
            S3_USE_SSL: 'false',
          }),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      CONSOLE_DIR: join(ROOT, 'dist/console'),
      JOB_BACKOFF_MS: '200',
      ...options.env,
    };
    children.push(launch('api', [join(ROOT, 'dist/composition/main.js')], env, options.logDir));
    const workers: ChildProcess[] = [];
    const startWorker = (i: number, generation = 0) => {
      const worker = launch(`${i === 0 ? 'worker' : `worker-${i + 1}`}${generation ? `.${generation}` : ''}`, [join(ROOT, 'dist/apps/worker/src/main.js')], env, options.logDir);
      workers[i] = worker;
      children.push(worker);
      return worker;
    };
    for (let i = 0; i < (options.workers ?? 1); i++) startWorker(i);
    let generation = 0;
    const killAndRestartWorker = async (index: number) => {
      const victim = workers[index];
      if (victim && victim.exitCode === null && victim.signalCode === null) {
        const exited = new Promise<void>((done) => victim.once('exit', () => done()));
        victim.kill('SIGKILL');
        await exited;
      }
      return startWorker(index, ++generation);
    };
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, children, options.logDir);
    const token = await signIn(baseUrl, admin.email, admin.password);
    const adminFetch = (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    };
    return { baseUrl, databaseUrl, s3Dir, bucket: env.S3_BUCKET ?? '', queuePrefix: prefix, admin, adminFetch, adminToken: token, workers: () => [...workers], killAndRestartWorker, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || !body.token) throw new Error(`sign-in as ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Uploads a call with its sidecar transcript; returns the call id. */
export async function uploadCall(stack: Stack, call: { audio: Buffer; audioName: string; metadata: Record<string, unknown>; transcript: Buffer }): Promise<string> {
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(call.audio)], { type: call.audioName.endsWith('.mp3') ? 'audio/mpeg' : 'audio/wav' }), call.audioName);
  form.set('metadata', JSON.stringify(call.metadata));
  form.set('transcript', new Blob([new Uint8Array(call.transcript)], { type: 'application/json' }), 'transcript.json');
  const response = await stack.adminFetch('/v1/calls', { method: 'POST', body: form });
  const body = (await response.json()) as { id?: string };
  if (!body.id) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** The bundled sample calls (samples/calls.json), uploaded with their transcripts; returns name -> call id. */
export async function uploadSamples(stack: Stack): Promise<Record<string, string>> {
  const samples = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
  const ids: Record<string, string> = {};
  for (const sample of samples) {
    ids[sample.name] = await uploadCall(stack, {
      audio: await readFile(join(ROOT, `samples/audio/${sample.name}.wav`)),
      audioName: `${sample.name}.wav`,
      metadata: sample.metadata,
      transcript: await readFile(join(ROOT, `samples/audio/${sample.name}.transcript.json`)),
    });
  }
  return ids;
}

/** Polls until every call is completed or failed (with a deadline, never a busy loop). */
export async function waitForCalls(stack: Stack, ids: string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const id of ids) {
    for (;;) {
      const call = (await (await stack.adminFetch(`/v1/calls/${id}`)).json()) as { status: string; failure: unknown };
      if (call.status === 'completed') break;
      if (call.status === 'failed') throw new Error(`call ${id} failed: ${JSON.stringify(call.failure)}`);
      if (Date.now() > deadline) throw new Error(`call ${id} still ${call.status} after ${timeoutMs} ms`);
      await sleep(250);
    }
  }
}

function launch(name: string, args: string[], env: Record<string, string>, logDir: string): ChildProcess {
  // e.g. STACK_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the stack's processes (refused in NODE_OPTIONS)
  const nodeArgs = (process.env.STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('node', ['--experimental-wasm-modules', ...nodeArgs, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(join(logDir, `${name}.log`));
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function run(command: string, args: string[], env: Record<string, string>, logPath: string): Promise<void> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logPath);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}; see ${logPath}`);
}

async function waitForHealth(baseUrl: string, children: ChildProcess[], logDir: string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const exited = children.find((child) => child.exitCode !== null);
    if (exited) throw new Error(`a stack process exited with ${exited.exitCode} while booting; see ${logDir}`);
    const healthy = await fetch(`${baseUrl}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) return;
    await sleep(200);
  }
  throw new Error(`the API at ${baseUrl} did not become healthy within ${BOOT_TIMEOUT_MS} ms; see ${logDir}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function dropDatabase(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

