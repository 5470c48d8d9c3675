import type { INestApplication } from '@nestjs/common';
import { type TestEnvironment, authFetch, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall } from '../support/earshot-harness.js';

/** Regressions of issue 18's defects: each failed before its fix. */
describe('reliability (issue 18)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ JOB_ATTEMPTS: '1' });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('answers 404 for the evaluation history of an unknown call', async () => {
    const response = await authFetch(`${baseUrl}/v1/calls/00000000-0000-4000-8000-000000000000/evaluation/history`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toMatch(/call/);
  });

  it('shows a failed call its reason without storage paths or ffmpeg internals', async () => {
    const sample = await loadSample('en-compliant');
    // a WAV header over bytes that are not audio: accepted at upload (judged by the first bytes), unreadable to ffmpeg
    const broken = Buffer.concat([sample.audio.subarray(0, 12), Buffer.from('garbage that is not a fmt chunk'.repeat(200))]);
    const upload = await uploadCall(baseUrl, uploadForm({ audio: broken, metadata: { ...sample.metadata, externalId: 'broken-audio-1' }, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    const call = await waitForCall(baseUrl, upload.body.id as string, 45_000);
    expect(call.status).toBe('failed');
    expect(call.failure?.reason).toMatch(/\S/);
    expect(call.failure?.reason).not.toMatch(/(^|[\s'"(])\/[\w.-]+\//);
    expect(call.failure?.reason).not.toMatch(/0x[0-9a-f]{6,}|@ 0x/i);
  }, 60_000);
});
