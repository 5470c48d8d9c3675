import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import pg from 'pg';
import { QueueName, stageJobId } from '#libs/queue';
import {
  type CallView,
  REDIS_URL,
  REPO_ROOT,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  authFetch,
} from '../support/earshot-harness.js';

const WORKER_MAIN = join(REPO_ROOT, 'dist/apps/worker/src/main.js');

/** A real worker process (the built apps/worker) against the test's database, Redis prefix and storage. */
function startWorker(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', WORKER_MAIN], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

async function pollCall(baseUrl: string, id: string, until: (call: CallView) => boolean, timeoutMs = 30_000): Promise<CallView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const call = (await (await authFetch(`${baseUrl}/v1/calls/${id}`)).json()) as CallView;
    if (until(call)) return call;
    if (Date.now() > deadline) throw new Error(`call ${id} never reached the awaited state; last ${call.status}/${call.currentStage}`);
    await sleep(100);
  }
}

describe('worker processes: crash and graceful shutdown', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment({ JOB_LOCK_DURATION_MS: '5000', LOG_LEVEL: 'log' });
    ({ app, baseUrl } = await startApi(environment.env, { withWorker: false }));
  }, 60_000);

  afterAll(async () => {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await app?.close();
    await environment?.dispose();
  });

  it('finishes a call after its worker is killed mid-job, with no duplicate findings or rollups', async () => {
    const sample = await loadSample('zh-baoben');
    const stalling = startWorker({ ...environment.env, FAULT_DELAY_AFTER_STAGE: 'check=60000' });
    workers.push(stalling);
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const id = upload.body.id as string;

    // check has written its findings and is held before handing on: kill the worker there.
    const midJob = await pollCall(baseUrl, id, (call) => call.currentStage === 'check' && call.findings.length > 0);
    stalling.kill('SIGKILL');
    await once(stalling, 'exit');

    const rescuer = startWorker(environment.env);
    workers.push(rescuer);
    const done = await waitForCall(baseUrl, id, 45_000);
    expect(done.status).toBe('completed');
    expect(done.findings.map((f) => f.id).sort()).toEqual(midJob.findings.map((f) => f.id).sort());
    expect(done.findings.every((f) => f.hasClip || f.evidence.startSeconds === undefined)).toBe(true);

    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const findings = await client.query<{ n: string; keys: string }>(
        'SELECT count(*) AS n, count(DISTINCT "dedupeKey") AS keys FROM "Finding" WHERE "callId" = $1',
        [id],
      );
      expect(Number(findings.rows[0].n)).toBe(Number(findings.rows[0].keys));
      const rollup = await client.query<{ calls: number }>(
        'SELECT r.calls FROM "AgentDailyRollup" r JOIN "Agent" a ON a.id = r."agentId" WHERE a."externalId" = $1',
        [sample.metadata.agentExternalId],
      );
      expect(rollup.rows).toEqual([{ calls: 1 }]);
    } finally {
      await client.end();
    }
    rescuer.kill('SIGTERM');
    const [code] = await once(rescuer, 'exit');
    expect(code).toBe(0);
  }, 90_000);

  it('lets the in-flight stage finish on SIGTERM and queues the rest of the lane from the next stage', async () => {
    const sample = await loadSample('en-compliant');
    const worker = startWorker({ ...environment.env, FAULT_DELAY_AFTER_STAGE: 'check=1500' });
    workers.push(worker);
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const id = upload.body.id as string;
    await pollCall(baseUrl, id, (call) => call.currentStage === 'check');
    worker.kill('SIGTERM');
    const [code] = await once(worker, 'exit');
    expect(code).toBe(0);
    expect(worker.output()).toMatch(/shutting down workers \(SIGTERM\)/);

    const score = new Queue(QueueName.Analysis, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
    try {
      const next = await score.getJob(stageJobId(id, 'score'));
      expect(await next?.getState()).toBe('waiting');
    } finally {
      await score.close();
    }
    const successor = startWorker(environment.env);
    workers.push(successor);
    expect((await waitForCall(baseUrl, id, 45_000)).status).toBe('completed');
    successor.kill('SIGTERM');
    await once(successor, 'exit');
  }, 90_000);
});
