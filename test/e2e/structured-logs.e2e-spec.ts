import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  REPO_ROOT,
  TEST_ADMIN_PASSWORD,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  uploadForm,
} from '../support/earshot-harness.js';

/** A built process (API or worker) whose stdout is kept line by line. */
function startProcess(main: string, env: Record<string, string>): ChildProcess & { lines: () => string[]; output: () => string } {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', join(REPO_ROOT, main)], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return Object.assign(child, { lines: () => stdout.split('\n').filter(Boolean), output: () => stdout + stderr });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

type LogLine = Record<string, unknown> & { level: string; time: string; msg?: string };

describe('structured logs (issue 17 item 5)', () => {
  let environment: TestEnvironment;
  const processes: ReturnType<typeof startProcess>[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', PORT: '0', HOST: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
    await environment?.dispose();
  });

  it('writes one JSON line per event with request, user, call and stage ids, and never a password, token, full phone number or transcript text', async () => {
    const api = startProcess('dist/composition/main.js', environment.env);
    const worker = startProcess('dist/apps/worker/src/main.js', environment.env);
    processes.push(api, worker);
    const baseUrl = await until('the API to listen', () => api.lines().map((line) => /Earshot API on (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean)?.replace('[::1]', '127.0.0.1'), 60_000);

    const login = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: environment.env.ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const me = (await (await fetch(`${baseUrl}/v1/auth/me`, { headers: auth })).json()) as { id: string };
    await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: environment.env.ADMIN_EMAIL, password: 'wrong password 42' }) });

    const sample = await loadSample('en-guaranteed-returns');
    const upload = await fetch(`${baseUrl}/v1/calls`, {
      method: 'POST',
      headers: { ...auth, 'x-request-id': 'upload-from-test-1' },
      body: uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }),
    });
    expect(upload.status).toBe(201);
    expect(upload.headers.get('x-request-id')).toBe('upload-from-test-1');
    const { id: callId } = (await upload.json()) as { id: string };
    await until('the call to complete', async () => {
      const call = (await (await fetch(`${baseUrl}/v1/calls/${callId}`, { headers: auth })).json()) as { status: string };
      return call.status === 'completed' || call.status === 'failed' ? call : undefined;
    }, 45_000);
    const unknownPath = await fetch(`${baseUrl}/v1/no-such-route/${encodeURIComponent(String(sample.metadata.customerPhone))}`, { headers: auth });
    expect(unknownPath.status).toBe(404);
    await until('the rollup stage to be logged', () => (worker.lines().some((line) => line.includes('"stage":"rollup"')) ? true : undefined));
    await sleep(300);

    const apiLines = api.lines();
    const workerLines = worker.lines();
    const parse = (line: string): LogLine => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    };
    const apiLogs = apiLines.map(parse);
    const workerLogs = workerLines.map(parse);
    for (const log of [...apiLogs, ...workerLogs]) {
      expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(log.level);
      expect(Number.isNaN(Date.parse(log.time))).toBe(false);
    }

    const uploadLog = apiLogs.find((log) => log.requestId === 'upload-from-test-1' && (log.res as { statusCode?: number } | undefined)?.statusCode === 201);
    expect(uploadLog).toMatchObject({ level: 'info', userId: me.id });
    const callRead = apiLogs.find((log) => log.callId === callId && (log.req as { method?: string } | undefined)?.method === 'GET');
    expect(callRead).toMatchObject({ userId: me.id, requestId: expect.any(String) });
    expect(apiLogs.find((log) => (log.res as { statusCode?: number } | undefined)?.statusCode === 401)).toMatchObject({ level: 'warn' });
    expect(apiLogs.find((log) => (log.res as { statusCode?: number } | undefined)?.statusCode === 404)).toMatchObject({ level: 'info' });
    for (const stage of ['transcribe', 'analyse-audio', 'check', 'score', 'clip', 'rollup']) {
      expect(workerLogs.some((log) => log.callId === callId && log.stage === stage && typeof log.jobId === 'string')).toBe(true);
    }

    const everything = [...apiLines, ...workerLines].join('\n');
    const phoneDigits = String(sample.metadata.customerPhone).replace(/\D/g, '');
    expect(everything).toContain('/v1/no-such-route/'); // the hostile path was logged, masked
    expect(everything).not.toContain(phoneDigits);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(TEST_ADMIN_PASSWORD);
    expect(everything).not.toContain('wrong password 42');
    expect(everything).not.toContain('cannot lose money');
    expect(everything).not.toContain('Northwind Capital');
    expect(api.output()).not.toMatch(/Error: /);
  }, 120_000);
});
