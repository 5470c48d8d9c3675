import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import pg from 'pg';
import { QueueName, stageJobId } from '#libs/queue';
import {
  REDIS_URL,
  type SampleCall,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase,
  authFetch,
} from '../support/earshot-harness.js';

/** A WAV header whose body is noise: it passes format sniffing and fails decoding. */
function corruptWav(): Buffer {
  const header = Buffer.from('RIFF\x24\x08\x00\x00WAVEfmt \x10\x00\x00\x00', 'latin1');
  return Buffer.concat([header, randomBytes(2048)]);
}

/** A copy of a sample whose audio differs by its last bytes, so it is a new recording to the dedupe check. */
function variant(sample: SampleCall, externalId: string): SampleCall {
  const audio = Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]);
  return { ...sample, audio, metadata: { ...sample.metadata, externalId } };
}

describe('pipeline end to end (API + worker in one process, real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let sample: SampleCall;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-guaranteed-returns');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('runs an upload through every stage and shows the rule finding, metrics, clips and a score', async () => {
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    expect(upload.body.status).toBe('queued');
    const call = await waitForCall(baseUrl, upload.body.id as string);
    expect(call.status).toBe('completed');
    expect(call.transcript?.segments.length).toBeGreaterThan(3);
    expect(call.findings.map((finding) => finding.family)).toContain('guaranteed_returns');
    expect(call.evaluation).toMatchObject({ score: 0, autoFailed: true });
    expect(call.metrics).toMatchObject({ source: 'audio', earlyHangUp: expect.any(Boolean) });
    expect(call.findings.filter((finding) => finding.evidence.startSeconds !== undefined).every((f) => f.hasClip)).toBe(true);
  }, 60_000);

  it('returns the existing call for the same audio uploaded twice, never a duplicate', async () => {
    const again = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(again.status).toBe(200);
    const list = (await (await authFetch(`${baseUrl}/v1/calls?limit=100`)).json()) as { items: { audio: { sha256: string } }[] };
    const sha = again.body.audio as { sha256: string };
    expect(list.items.filter((item) => item.audio.sha256 === sha.sha256)).toHaveLength(1);
  });

  it('answers 409 naming externalId when a different recording reuses a call id of the dialer', async () => {
    const clash = variant(sample, sample.metadata.externalId as string);
    const response = await uploadCall(baseUrl, uploadForm({ audio: clash.audio, metadata: clash.metadata, transcript: sample.transcript }));
    expect(response.status).toBe(409);
    expect(JSON.stringify(response.body.message)).toMatch(/externalId: .* already names call/);
  });

  it('accepts concurrent first uploads for a new team, group, agent and campaign', async () => {
    const metadata = { ...sample.metadata, teamName: 'Team new', groupName: 'Group new', agentExternalId: 'agent-new', campaignExternalId: 'campaign-new' };
    const uploads = await Promise.all(
      Array.from({ length: 8 }, (_, index) => {
        const call = variant(sample, `concurrent-${index}`);
        return uploadCall(baseUrl, uploadForm({ audio: call.audio, metadata: { ...metadata, externalId: `concurrent-${index}` }, transcript: sample.transcript }));
      }),
    );
    expect(uploads.map((upload) => upload.status)).toEqual(Array(8).fill(201));
    const list = (await (await authFetch(`${baseUrl}/v1/calls?agent=agent-new&limit=100`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(8);
  });

  it('fails a corrupt recording with a readable reason after exactly one attempt', async () => {
    const upload = await uploadCall(baseUrl, uploadForm({ audio: corruptWav(), metadata: { ...sample.metadata, externalId: 'corrupt-1' }, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    const id = upload.body.id as string;
    const call = await waitForCall(baseUrl, id);
    expect(call.status).toBe('failed');
    expect(call.failure?.stage).toBe('analyse-audio');
    expect(call.failure?.reason).toMatch(/audio cannot be decoded/);
    // a call with its transcript runs as one job in the analysis lane, from its transcribe stage on
    const queue = new Queue(QueueName.Analysis, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
    try {
      const job = await queue.getJob(stageJobId(id, 'transcribe'));
      expect(await job?.isFailed()).toBe(true);
      expect(job?.attemptsMade).toBe(1);

      // an outcome imported for the failed call queues its rollup, which must not complete the call
      const outcome = await authFetch(`${baseUrl}/v1/outcomes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcomes: [{ callId: id, csat: 3 }] }),
      });
      expect(await outcome.json()).toMatchObject({ applied: 1, rollupsQueued: 1 });
      for (const until = Date.now() + 15_000; Date.now() < until && (await queue.getJob(stageJobId(id, 'rollup'))); ) await sleep(100);
      expect(await queue.getJob(stageJobId(id, 'rollup'))).toBeUndefined();
      expect(((await (await authFetch(`${baseUrl}/v1/calls/${id}/status`)).json()) as { status: string }).status).toBe('failed');
    } finally {
      await queue.close();
    }
  }, 60_000);

  it.each([
    ['no audio part', uploadForm({ metadata: {} }), 400, /audio: a recording file is required/],
    ['metadata that is not JSON', uploadForm({ audio: Buffer.from('RIFF'), metadata: '{oops' }), 400, /metadata: not valid JSON/],
  ])('rejects %s naming the field', async (_name, form, status, message) => {
    const response = await uploadCall(baseUrl, form);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.message)).toMatch(message);
  });

  it.each([
    ['a wrong enum', { direction: 'sideways' }, /metadata\.direction/],
    ['a missing required field', { agentExternalId: undefined }, /metadata\.agentExternalId/],
    ['an invalid phone number', { customerPhone: '+1 555' }, /metadata\.customerPhone/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /metadata\.timeZone/],
    ['an unknown field', { colour: 'red' }, /metadata\.colour/],
  ])('answers 400 for metadata with %s, naming the field', async (_name, change, message) => {
    const metadata = { ...sample.metadata, ...change };
    const response = await uploadCall(baseUrl, uploadForm({ audio: variant(sample, 'x').audio, metadata }));
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
  });

  it('answers 422 naming TRANSCRIPTION_PROVIDER for an upload with no transcript when nothing can transcribe it, storing nothing', async () => {
    const before = (await (await authFetch(`${baseUrl}/v1/calls?limit=100`)).json()) as { items: unknown[] };
    const response = await uploadCall(baseUrl, uploadForm({ audio: variant(sample, 'no-transcript').audio, metadata: { ...sample.metadata, externalId: 'no-transcript' } }));
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/TRANSCRIPTION_PROVIDER=openai/);
    const after = (await (await authFetch(`${baseUrl}/v1/calls?limit=100`)).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  it('answers 415 for bytes that are not audio and 422 for a malformed sidecar transcript', async () => {
    const notAudio = await uploadCall(baseUrl, uploadForm({ audio: Buffer.from('hello, not a recording at all'), metadata: sample.metadata }));
    expect(notAudio.status).toBe(415);
    expect(JSON.stringify(notAudio.body.message)).toMatch(/audio: not a recognised audio format/);
    const badTranscript = await uploadCall(
      baseUrl,
      uploadForm({ audio: variant(sample, 'y').audio, metadata: sample.metadata, transcript: Buffer.from('{"segments": "no"}') }),
    );
    expect(badTranscript.status).toBe(422);
    expect(JSON.stringify(badTranscript.body.message)).toMatch(/transcript:/);
  });

  /** A batch upload's form: one audio part per entry, and one transcript per entry when given. */
  function batchForm(entries: { audio: Buffer; metadata: unknown; transcript?: Buffer }[], metadata: unknown = entries.map((e) => e.metadata)): FormData {
    const form = new FormData();
    form.set('metadata', typeof metadata === 'string' ? metadata : JSON.stringify(metadata));
    entries.forEach((entry, index) => {
      form.append('audio', new Blob([entry.audio], { type: 'audio/wav' }), `call-${index}.wav`);
      if (entry.transcript) form.append('transcript', new Blob([entry.transcript], { type: 'application/json' }), `transcript-${index}.json`);
    });
    return form;
  }

  async function uploadBatch(form: FormData): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await authFetch(`${baseUrl}/v1/calls/batch`, { method: 'POST', body: form });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('takes a batch of recordings, answering each entry as a single upload would, and runs the new ones', async () => {
    const fresh = [variant(sample, 'batch-new-1'), variant(sample, 'batch-new-2')];
    const refusedPhone = variant(sample, 'batch-bad-phone');
    const entries = [
      { audio: fresh[0]!.audio, metadata: fresh[0]!.metadata, transcript: sample.transcript },
      // known audio: the call uploaded by the first test
      { audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript },
      { audio: refusedPhone.audio, metadata: { ...refusedPhone.metadata, customerPhone: '12' }, transcript: sample.transcript },
      { audio: Buffer.from('not a recording'), metadata: { ...sample.metadata, externalId: 'batch-not-audio' }, transcript: sample.transcript },
      { audio: fresh[1]!.audio, metadata: fresh[1]!.metadata, transcript: sample.transcript },
    ];
    const { status, body } = await uploadBatch(batchForm(entries));
    expect(status).toBe(200);
    const calls = body.calls as { index: number; status: number; call: { id: string; externalId: string } | null; errors: string[] }[];
    expect(calls.map((c) => [c.index, c.status])).toEqual([[0, 201], [1, 200], [2, 400], [3, 415], [4, 201]]);
    expect(body).toMatchObject({ created: 2, existing: 1, refused: 2 });
    expect(calls[2]!.errors.join()).toMatch(/^metadata\[2\]\.customerPhone: /);
    expect(calls[3]!.errors.join()).toMatch(/^audio\[3\]: not a recognised audio format/);
    expect(calls[1]!.call?.id).toBeDefined();
    expect(calls[0]!.call?.externalId).toBe('batch-new-1');
    for (const created of [calls[0], calls[4]]) {
      const call = await waitForCall(baseUrl, created!.call!.id);
      expect(call.status).toBe('completed');
      expect(call.findings.map((finding) => finding.family)).toContain('guaranteed_returns');
    }
    // a refused entry stored nothing
    const count = await withDatabase(environment.env.DATABASE_URL as string, async (db) =>
      (await db.query(`SELECT count(*)::int AS n FROM "Call" WHERE "externalId" IN ('batch-bad-phone', 'batch-not-audio')`)).rows[0].n,
    );
    expect(count).toBe(0);
  }, 60_000);

  it('gives the same recording twice in one batch one call: one entry 201, the other 200 with that call', async () => {
    const twice = variant(sample, 'batch-twice');
    const { status, body } = await uploadBatch(
      batchForm([
        { audio: twice.audio, metadata: twice.metadata, transcript: sample.transcript },
        { audio: twice.audio, metadata: { ...twice.metadata, externalId: 'batch-twice-again' }, transcript: sample.transcript },
      ]),
    );
    expect(status).toBe(200);
    const calls = body.calls as { status: number; call: { id: string } | null }[];
    expect(calls.map((c) => c.status).sort()).toEqual([200, 201]);
    expect(calls[0]?.call?.id).toBe(calls[1]?.call?.id);
    const count = await withDatabase(environment.env.DATABASE_URL as string, async (db) =>
      (await db.query(`SELECT count(*)::int AS n FROM "Call" WHERE "externalId" LIKE 'batch-twice%'`)).rows[0].n,
    );
    expect(count).toBe(1);
  });

  it('refuses a malformed batch as a whole, naming the field, and stores nothing', async () => {
    const entry = { audio: variant(sample, 'batch-malformed').audio, metadata: { ...sample.metadata, externalId: 'batch-malformed' }, transcript: sample.transcript };
    const notArray = await uploadBatch(batchForm([entry], entry.metadata));
    expect(notArray.status).toBe(400);
    expect(JSON.stringify(notArray.body.message)).toMatch(/metadata: a JSON array of 1 to 100/);
    const fewerAudio = await uploadBatch(batchForm([entry], [entry.metadata, { ...entry.metadata, externalId: 'batch-malformed-2' }]));
    expect(fewerAudio.status).toBe(400);
    expect(JSON.stringify(fewerAudio.body.message)).toMatch(/audio: 1 recordings for 2 metadata entries/);
    const oneTranscriptShort = batchForm([entry, { ...entry, audio: variant(sample, 'x').audio, transcript: undefined }]);
    const transcriptCount = await uploadBatch(oneTranscriptShort);
    expect(transcriptCount.status).toBe(400);
    expect(JSON.stringify(transcriptCount.body.message)).toMatch(/transcript: 1 transcripts for 2 metadata entries/);
    const tooMany = await uploadBatch(batchForm([entry], Array.from({ length: 101 }, () => entry.metadata)));
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body.message)).toMatch(/101 entries, at most 100/);
    const count = await withDatabase(environment.env.DATABASE_URL as string, async (db) =>
      (await db.query(`SELECT count(*)::int AS n FROM "Call" WHERE "externalId" LIKE 'batch-malformed%'`)).rows[0].n,
    );
    expect(count).toBe(0);
  });

  it('pages through calls with an opaque cursor and rejects a forged one', async () => {
    const first = (await (await authFetch(`${baseUrl}/v1/calls?limit=1`)).json()) as { items: { id: string }[]; nextCursor: string };
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (await authFetch(`${baseUrl}/v1/calls?limit=1&cursor=${first.nextCursor}`)).json()) as { items: { id: string }[] };
    expect(second.items).toHaveLength(1);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    const forged = await authFetch(`${baseUrl}/v1/calls?cursor=bm9wZQ`);
    expect(forged.status).toBe(400);
    const badLimit = await authFetch(`${baseUrl}/v1/calls?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(await badLimit.json())).toMatch(/query\.limit/);
    const failed = (await (await authFetch(`${baseUrl}/v1/calls?status=failed`)).json()) as { items: { status: string }[] };
    expect(failed.items.length).toBeGreaterThan(0);
    expect(failed.items.every((item) => item.status === 'failed')).toBe(true);
  });

  it('answers 404 for an unknown call and 400 for an id that is not a uuid', async () => {
    expect((await authFetch(`${baseUrl}/v1/calls/0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11`)).status).toBe(404);
    expect((await authFetch(`${baseUrl}/v1/calls/nope`)).status).toBe(400);
    expect((await authFetch(`${baseUrl}/v1/calls/0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11/status`)).status).toBe(404);
    expect((await authFetch(`${baseUrl}/v1/calls/nope/status`)).status).toBe(400);
  });

  it('audits a view of what was said, not a poll of the status', async () => {
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: { ...sample.metadata, externalId: 'audited-view' }, transcript: sample.transcript }));
    const id = upload.body.id as string;
    await waitForCall(baseUrl, id);
    const views = async () => {
      const page = (await (await authFetch(`${baseUrl}/v1/audit?entityType=call&entityId=${id}`)).json()) as { items: { action: string }[] };
      return page.items.filter((entry) => entry.action === 'call.viewed').length;
    };
    const before = await views();
    for (let i = 0; i < 3; i++) {
      const status = await authFetch(`${baseUrl}/v1/calls/${id}/status`);
      expect(await status.json()).toMatchObject({ id, status: 'completed', currentStage: null, failure: null });
    }
    expect(await views()).toBe(before);
    expect((await authFetch(`${baseUrl}/v1/calls/${id}`)).status).toBe(200);
    expect(await views()).toBe(before + 1);
  }, 60_000);

  it('reports database, Redis and storage health and serves the OpenAPI document', async () => {
    const health = await authFetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { checks: { pipeline: { oldestUnchangedSeconds: number | null } } };
    expect(body).toEqual({
      status: 'ok',
      checks: {
        database: { status: 'up' },
        redis: { status: 'up' },
        storage: { status: 'up' },
        // calls of earlier tests may still be finishing: the pipeline moves
        pipeline: { status: 'moving', processing: expect.any(Number), oldestUnchangedSeconds: body.checks.pipeline.oldestUnchangedSeconds },
      },
    });
    expect(body.checks.pipeline.oldestUnchangedSeconds ?? 0).toBeLessThan(60);
    const openapi = (await (await authFetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/calls', '/v1/calls/{id}', '/health']));
  });
});

describe('upload size limit', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ UPLOAD_MAX_BYTES: '4096' });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('answers 413 naming the limit and stores nothing', async () => {
    const sample = await loadSample('en-compliant');
    const response = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata }));
    expect(response.status).toBe(413);
    expect(response.body.message).toMatch(/limit of 4096 bytes \(UPLOAD_MAX_BYTES\)/);
    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM "Call"');
      expect(Number(rows[0].count)).toBe(0);
    } finally {
      await client.end();
    }
  });
});
