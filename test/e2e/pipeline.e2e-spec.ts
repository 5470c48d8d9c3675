import type { INestApplication } from '@nestjs/common';
import {
  type CallView,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';

describe('pipeline end to end (API + worker in one process, real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('runs an upload through every stage and shows the rule finding and a score', async () => {
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    const call: CallView = await waitForCall(baseUrl, upload.body.id as string);
    expect(call.status).toBe('completed');
    const families = call.findings.map((finding) => finding.family);
    expect(families).toContain('guaranteed_returns');
    expect(call.evaluation?.autoFailed).toBe(true);
    expect(call.evaluation?.score).toBe(0);
    expect(call.metrics).not.toBeNull();
    expect(call.findings.every((finding) => finding.hasClip)).toBe(true);
  }, 60_000);
});
