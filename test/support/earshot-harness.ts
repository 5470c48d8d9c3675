import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { applyMigrations } from '#libs/db';
import { deleteQueueKeys } from '#libs/queue';
import { type RunningS3rver, startS3rver } from './s3rver.js';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const TEST_ADMIN_EMAIL = 'admin@earshot.test';
export const TEST_ADMIN_PASSWORD = 'correct horse battery staple';

/** the first admin's session token of each API started here, by origin (a file may run two APIs) */
const adminTokens = new Map<string, string>();

/**
 * fetch as the configured first admin (signed in by startApi), unless the request carries its own authorization.
 * Only requests to an API started here get the token: a presigned S3 URL must go out with its signature alone.
 */
export function authFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const adminToken = adminTokens.get(new URL(input).origin);
  if (!headers.has('authorization') && adminToken) headers.set('authorization', `Bearer ${adminToken}`);
  return fetch(input, { ...init, headers });
}

/** Signs in by email and password; returns the session token. */
export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 200 || !body.token) throw new Error(`login as ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Real Postgres database, Redis prefix and s3rver bucket of one test file; nothing shared between files. */
export interface TestEnvironment {
  env: Record<string, string>;
  databaseUrl: string;
  queuePrefix: string;
  s3: RunningS3rver;
  dispose(): Promise<void>;
}

export async function createTestEnvironment(overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const suffix = randomBytes(4).toString('hex');
  const database = `earshot_test_${suffix}`;
  const databaseUrl = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
  const s3 = await startS3rver();
  const queuePrefix = `test-${suffix}`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    S3_ENDPOINT: s3.clientOptions.endPoint,
    S3_PORT: String(s3.clientOptions.port),
    S3_ACCESS_KEY: s3.clientOptions.accessKey,
    S3_SECRET_KEY: s3.clientOptions.secretKey,
    S3_REGION: s3.clientOptions.region,
    S3_BUCKET: `earshot-${suffix}`,
    JOB_BACKOFF_MS: '200',
    SHUTDOWN_GRACE_MS: '5000',
    ADMIN_EMAIL: TEST_ADMIN_EMAIL,
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    ...overrides,
  };
  return {
    env,
    databaseUrl,
    queuePrefix,
    s3,
    async dispose() {
      await s3.stop();
      await deleteQueueKeys(REDIS_URL, queuePrefix);
      await dropDatabase(database);
    },
  };
}

/** Creates a user as the test admin and signs them in; returns their session token. */
export async function createUser(
  baseUrl: string,
  user: { email: string; role: string; agent?: string; unredactedAccess?: boolean; password?: string },
): Promise<string> {
  const password = user.password ?? `${user.email} password`;
  const response = await authFetch(`${baseUrl}/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, displayName: user.email.split('@')[0], role: user.role, agent: user.agent, unredactedAccess: user.unredactedAccess, password }),
  });
  if (response.status !== 201) throw new Error(`creating ${user.email} failed: ${response.status} ${await response.text()}`);
  return login(baseUrl, user.email, password);
}

/** Boots the API (and, unless told otherwise, the pipeline workers) in this process on a free port. */
export async function startApi(env: Record<string, string>, options: { withWorker?: boolean } = {}) {
  const { createEarshotApp } = await import('../../composition/earshot-app.js');
  const { loadConfig } = await import('#libs/config');
  const config = loadConfig({ ...process.env, ...env });
  const app: INestApplication = await createEarshotApp({ config, withWorker: options.withWorker ?? true });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const adminToken = await login(baseUrl, env.ADMIN_EMAIL ?? TEST_ADMIN_EMAIL, env.ADMIN_PASSWORD ?? TEST_ADMIN_PASSWORD);
  adminTokens.set(baseUrl, adminToken);
  return { app, baseUrl, adminToken };
}

export interface SampleCall {
  name: string;
  metadata: Record<string, unknown>;
  audio: Buffer;
  transcript: Buffer;
}

export async function loadSample(name: string): Promise<SampleCall> {
  const calls = JSON.parse(await readFile(join(REPO_ROOT, 'samples/calls.json'), 'utf8')) as {
    name: string;
    metadata: Record<string, unknown>;
  }[];
  const entry = calls.find((call) => call.name === name);
  if (!entry) throw new Error(`no sample ${name}`);
  return {
    name,
    metadata: entry.metadata,
    audio: await readFile(join(REPO_ROOT, `samples/audio/${name}.wav`)),
    transcript: await readFile(join(REPO_ROOT, `samples/audio/${name}.transcript.json`)),
  };
}

export function uploadForm(parts: { audio?: Buffer; metadata?: unknown; transcript?: Buffer; audioName?: string }): FormData {
  const form = new FormData();
  if (parts.audio) form.set('audio', new Blob([parts.audio], { type: 'audio/wav' }), parts.audioName ?? 'call.wav');
  if (parts.metadata !== undefined) {
    form.set('metadata', typeof parts.metadata === 'string' ? parts.metadata : JSON.stringify(parts.metadata));
  }
  if (parts.transcript) form.set('transcript', new Blob([parts.transcript], { type: 'application/json' }), 'transcript.json');
  return form;
}

export async function uploadCall(baseUrl: string, form: FormData): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await authFetch(`${baseUrl}/v1/calls`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls the call until it is completed or failed; never a busy loop. */
export async function waitForCall(baseUrl: string, callId: string, timeoutMs = 30_000): Promise<CallView> {
  const deadline = Date.now() + timeoutMs;
  let last: CallView | undefined;
  while (Date.now() < deadline) {
    // the status alone while waiting (not audited), the whole view once it is done
    const status = (await (await authFetch(`${baseUrl}/v1/calls/${callId}/status`)).json()) as Pick<CallView, 'status' | 'currentStage'>;
    if (status.status === 'completed' || status.status === 'failed') return (await (await authFetch(`${baseUrl}/v1/calls/${callId}`)).json()) as CallView;
    last = { ...last, ...status } as CallView;
    await sleep(100);
  }
  throw new Error(`call ${callId} did not finish within ${timeoutMs} ms; last status ${last?.status}/${last?.currentStage}`);
}

export interface CallView {
  id: string;
  status: string;
  currentStage: string | null;
  failure: { stage: string; reason: string } | null;
  durationSeconds: number | null;
  transcript: { segments: { speaker: string; text: string }[]; rolesSource: string } | null;
  metrics: Record<string, unknown> | null;
  findings: { id: string; ruleId: string; family: string | null; severity: string; hasClip: boolean; evidence: Record<string, unknown> }[];
  evaluation: { score: number; autoFailed: boolean; criteria: unknown[] } | null;
}

/** Runs work on a fresh connection to a test database, for reading or changing rows behind the API's back. */
export async function withDatabase<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
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
