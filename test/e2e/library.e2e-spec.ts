import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { probeAudio } from '#libs/audio';
import { sha256Hex } from '#libs/export';
import {
  type CallView,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase as queryDatabase,
} from '../support/earshot-harness.js';
import { readZip } from '../support/zip-reader.js';

type Json = Record<string, unknown>;

interface Item {
  id: string;
  collection: { id: string; name: string };
  callId: string;
  findingId: string | null;
  startSeconds: number;
  endSeconds: number;
  label: string;
  topics: string[];
  notes: string | null;
  createdBy: string;
  call: { agent: string | null; campaign: string | null };
  finding: { ruleId: string; hasClip: boolean } | null;
}

interface Example {
  callId: string;
  startedAt: string;
  agent: { externalId: string } | null;
  campaign: string | null;
  score: number;
  autoFailed: boolean;
  criterion: { criterionId: string; result: string; findings: { id: string; startSeconds: number | null; endSeconds: number | null }[] } | null;
}

interface Manifest {
  collection: { id: string; name: string; description: string | null };
  exportedAt: string;
  exportedBy: string;
  items: {
    itemId: string;
    label: string;
    topics: string[];
    callId: string;
    findingId: string | null;
    startSeconds: number;
    endSeconds: number;
    clip: string | null;
    clipSource: string | null;
    clipMissingReason: string | null;
    excerpt: string;
  }[];
  files: { name: string; bytes: number; sha256: string }[];
}

const CARD = '4111 1111 1111 1111';
const NOVEMBER = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

function isMp3(data: Buffer): boolean {
  const id3 = data.subarray(0, 3).toString('latin1') === 'ID3';
  const frameSync = data[0] === 0xff && ((data[1] ?? 0) & 0xe0) === 0xe0;
  return data.length > 0 && (id3 || frameSync);
}

describe('trainer library: collections, examples, pull-examples queries and zip export (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let risky: CallView;
  let compliant: CallView;
  let chinese: CallView;

  const request = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const response = await authFetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  const messages = (body: Json) => JSON.stringify(body.message);
  const createCollection = async (name: string, description?: string) => {
    const created = await request('POST', '/v1/library/collections', { name, description });
    expect(created.status).toBe(201);
    return created.body as { id: string; name: string };
  };
  const addItem = async (collectionId: string, body: Json) => {
    const response = await request('POST', `/v1/library/collections/${collectionId}/items`, body);
    expect(response.status).toBe(201);
    return response.body as unknown as Item;
  };
  const withDatabase = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => queryDatabase(environment.databaseUrl, work);
  const upload = async (name: string, editTranscript?: (transcript: { segments: { text: string }[] }) => void) => {
    const sample = await loadSample(name);
    let transcript = sample.transcript;
    if (editTranscript) {
      const parsed = JSON.parse(transcript.toString('utf8')) as { segments: { text: string }[] };
      editTranscript(parsed);
      transcript = Buffer.from(JSON.stringify(parsed));
    }
    const uploaded = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript }));
    expect(uploaded.status).toBe(201);
    const call = await waitForCall(baseUrl, uploaded.body.id as string, 60_000);
    expect(call.status).toBe('completed');
    return call;
  };
  const guaranteedReturns = () => {
    const finding = risky.findings.find((f) => f.family === 'guaranteed_returns' && f.hasClip);
    if (!finding) throw new Error('the risky call has no guaranteed-returns finding with a clip');
    return finding;
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    // the customer reads out a card number: the export's excerpt must show it redacted
    risky = await upload('en-guaranteed-returns', (t) => {
      const segment = t.segments[1];
      if (segment) segment.text = `Hello, what is this about? My card is ${CARD}.`;
    });
    compliant = await upload('en-compliant');
    chinese = await upload('zh-baoben');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('creates, lists by cursor, renames and deletes collections, naming bad fields', async () => {
    const first = await createCollection('  Price objections handled well ', 'for the new starters');
    expect(first).toMatchObject({ name: 'Price objections handled well', description: 'for the new starters', itemCount: 0, createdBy: 'user:admin@earshot.test' });
    const second = await createCollection('Promised returns');

    const noName = await request('POST', '/v1/library/collections', {});
    expect(noName.status).toBe(400);
    expect(messages(noName.body)).toMatch(/body\.name/);
    const blank = await request('POST', '/v1/library/collections', { name: '   ' });
    expect(blank.status).toBe(400);
    expect(messages(blank.body)).toMatch(/body\.name: must not be empty/);
    expect((await request('POST', '/v1/library/collections', { name: 'x', colour: 'red' })).status).toBe(400);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await request('GET', `/v1/library/collections?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      paged.push(...(page.body.items as { id: string }[]).map((c) => c.id));
      cursor = page.body.nextCursor as string | null;
    } while (cursor && paged.length < 10);
    expect(paged).toEqual([second.id, first.id]);
    expect((await request('GET', '/v1/library/collections?cursor=bm9wZQ')).status).toBe(400);

    const renamed = await request('PATCH', `/v1/library/collections/${second.id}`, { name: 'Promised returns (bad)', description: null });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Promised returns (bad)', description: null } });
    const empty = await request('PATCH', `/v1/library/collections/${second.id}`, {});
    expect(empty.status).toBe(400);
    expect(messages(empty.body)).toMatch(/nothing to change/);

    expect((await request('DELETE', `/v1/library/collections/${second.id}`)).status).toBe(204);
    expect((await request('GET', `/v1/library/collections/${second.id}`)).status).toBe(404);
    expect((await request('DELETE', `/v1/library/collections/${second.id}`)).status).toBe(404);
    expect((await request('GET', '/v1/library/collections/not-a-uuid')).status).toBe(400);
  });

  it("adds a finding as an item (the finding's span) and a span of a call, normalising topics", async () => {
    const collection = await createCollection('Disclosures');
    const finding = guaranteedReturns();
    const fromFinding = await addItem(collection.id, {
      findingId: finding.id,
      label: 'bad',
      topics: [' Promised Returns', 'promised  returns', 'COMPLIANCE'],
      notes: '  promises a fixed return ',
    });
    expect(fromFinding).toMatchObject({
      callId: risky.id,
      findingId: finding.id,
      startSeconds: finding.evidence.startSeconds,
      endSeconds: finding.evidence.endSeconds ?? finding.evidence.startSeconds,
      label: 'bad',
      topics: ['promised returns', 'compliance'],
      notes: 'promises a fixed return',
      call: { agent: 'agent-001', campaign: 'fund-q4' },
      finding: { ruleId: finding.ruleId, hasClip: true },
    });
    const span = await addItem(collection.id, { callId: compliant.id, startSeconds: 15, endSeconds: 22, label: 'good', topics: ['Risk disclosure'] });
    expect(span).toMatchObject({ callId: compliant.id, findingId: null, startSeconds: 15, endSeconds: 22, topics: ['risk disclosure'], finding: null });

    const detail = await request('GET', `/v1/library/collections/${collection.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ itemCount: 2 });
    expect((detail.body.items as Item[]).map((i) => i.id)).toEqual([fromFinding.id, span.id]);

    const patched = await request('PATCH', `/v1/library/collections/${collection.id}/items/${span.id}`, { notes: 'clear wording', topics: ['Risk disclosure', 'tone'] });
    expect(patched).toMatchObject({ status: 200, body: { notes: 'clear wording', topics: ['risk disclosure', 'tone'], label: 'good' } });
    const cleared = await request('PATCH', `/v1/library/collections/${collection.id}/items/${span.id}`, { notes: null });
    expect(cleared.body).toMatchObject({ notes: null, topics: ['risk disclosure', 'tone'] });
    expect((await request('PATCH', `/v1/library/collections/${collection.id}/items/${span.id}`, { label: 'meh' })).body.message).toEqual([
      expect.stringMatching(/^body\.label:/),
    ]);

    const extra = await addItem(collection.id, { callId: compliant.id, startSeconds: 0, endSeconds: 5, label: 'good' });
    expect((await request('DELETE', `/v1/library/collections/${collection.id}/items/${extra.id}`)).status).toBe(204);
    expect((await request('DELETE', `/v1/library/collections/${collection.id}/items/${extra.id}`)).status).toBe(404);
  });

  it('refuses bad items with a 400 naming the field', async () => {
    const collection = await createCollection('Bad input');
    const path = `/v1/library/collections/${collection.id}/items`;
    const expectProblem = async (body: Json, field: RegExp) => {
      const response = await request('POST', path, body);
      expect(response.status).toBe(400);
      expect(messages(response.body)).toMatch(field);
    };
    await expectProblem({ callId: compliant.id, startSeconds: 10, endSeconds: 10, label: 'good' }, /body\.endSeconds: must be greater than startSeconds/);
    await expectProblem({ callId: compliant.id, startSeconds: 10, endSeconds: 5000, label: 'good' }, /body\.endSeconds: 5000 is past the end of the call/);
    await expectProblem({ callId: compliant.id, startSeconds: -1, endSeconds: 3, label: 'good' }, /body\.startSeconds/);
    await expectProblem({ startSeconds: 1, endSeconds: 3, label: 'good' }, /body\.callId: required/);
    await expectProblem({ callId: compliant.id, label: 'good' }, /body\.startSeconds: required.*body\.endSeconds: required/);
    await expectProblem({ callId: '00000000-0000-4000-8000-000000000000', startSeconds: 1, endSeconds: 3, label: 'good' }, /body\.callId: call .* does not exist/);
    await expectProblem({ callId: compliant.id, startSeconds: 1, endSeconds: 3, label: 'great' }, /body\.label/);
    await expectProblem({ callId: compliant.id, startSeconds: 1, endSeconds: 3, label: 'good', topics: 'pricing' }, /body\.topics/);
    const manyTopics = Array.from({ length: 21 }, (_, i) => `topic ${i}`);
    await expectProblem({ callId: compliant.id, startSeconds: 1, endSeconds: 3, label: 'good', topics: manyTopics }, /body\.topics: at most 20/);
    await expectProblem({ findingId: guaranteedReturns().id, startSeconds: 1, label: 'bad' }, /body\.startSeconds: not allowed with findingId/);
    await expectProblem({ findingId: '00000000-0000-4000-8000-000000000000', label: 'bad' }, /body\.findingId: finding .* does not exist/);

    // a finding without time (a metadata finding) cannot be an item
    const untimed = await withDatabase(async (client) => {
      const result = await client.query<{ id: string }>(
        `INSERT INTO "Finding" (id, "callId", "dedupeKey", source, "ruleId", "ruleVersion", severity, dimension, description, "updatedAt")
         VALUES (gen_random_uuid(), $1, 'library-test-untimed', 'metadata', 'meta.test', '1', 'minor', 'compliance', 'a finding without time', now())
         RETURNING id`,
        [chinese.id],
      );
      return result.rows[0]?.id ?? '';
    });
    await expectProblem({ findingId: untimed, label: 'bad' }, /body\.findingId: finding .* has no time in the call/);

    const missing = await request('POST', '/v1/library/collections/00000000-0000-4000-8000-000000000000/items', {
      callId: compliant.id,
      startSeconds: 1,
      endSeconds: 3,
      label: 'good',
    });
    expect(missing.status).toBe(404);
    const after = await request('GET', `/v1/library/collections/${collection.id}`);
    expect(after.body.items).toEqual([]);
  });

  it('searches items across collections by topic, label and collection', async () => {
    const a = await createCollection('Search A');
    const b = await createCollection('Search B');
    const one = await addItem(a.id, { callId: risky.id, startSeconds: 17, endSeconds: 21, label: 'bad', topics: ['Pressure selling', 'Closing'] });
    const two = await addItem(b.id, { callId: compliant.id, startSeconds: 26, endSeconds: 29, label: 'good', topics: ['closing'] });
    const three = await addItem(b.id, { callId: chinese.id, startSeconds: 6.5, endSeconds: 12, label: 'bad', topics: ['promised returns zh'] });

    const search = async (query: string) => {
      const response = await request('GET', `/v1/library/items?${query}`);
      expect(response.status).toBe(200);
      return (response.body.items as Item[]).map((item) => item.id);
    };
    expect(await search('topic=%20CLOSING%20')).toEqual([two.id, one.id]);
    expect(await search('topic=closing&label=bad')).toEqual([one.id]);
    expect(await search(`collection=${b.id}`)).toEqual([three.id, two.id]);
    expect(await search('topic=pressure%20selling&collection=' + b.id)).toEqual([]);
    const firstPage = await request('GET', `/v1/library/items?collection=${b.id}&limit=1`);
    expect((firstPage.body.items as Item[]).map((i) => i.id)).toEqual([three.id]);
    expect(await search(`collection=${b.id}&limit=1&cursor=${firstPage.body.nextCursor as string}`)).toEqual([two.id]);
    const found = (await request('GET', '/v1/library/items?topic=closing&label=good')).body.items as Item[];
    expect(found[0]?.collection).toEqual({ id: b.id, name: 'Search B' });

    const bad = await request('GET', '/v1/library/items?label=meh&collection=nope');
    expect(bad.status).toBe(400);
    expect(messages(bad.body)).toMatch(/query\.label/);
    expect(messages(bad.body)).toMatch(/query\.collection/);
  });

  it('pulls the worst calls that failed a criterion, with the findings to add as items', async () => {
    const response = await request('GET', `/v1/library/examples?criterion=no_guaranteed_returns&${NOVEMBER}`);
    expect(response.status).toBe(200);
    expect(response.body.order).toBe('worst');
    const items = response.body.items as Example[];
    expect(items.map((e) => e.callId).sort()).toEqual([risky.id, chinese.id].sort());
    const scores = items.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((x, y) => x - y));
    for (const example of items) {
      expect(example.criterion).toMatchObject({ criterionId: 'no_guaranteed_returns', result: 'fail' });
      expect(example.criterion?.findings.length).toBeGreaterThan(0);
      expect(example.criterion?.findings.every((f) => typeof f.startSeconds === 'number')).toBe(true);
    }
    const riskyExample = items.find((e) => e.callId === risky.id);
    expect(riskyExample).toMatchObject({ agent: { externalId: 'agent-001' }, campaign: 'fund-q4', score: risky.evaluation?.score, autoFailed: true });
    expect(riskyExample?.criterion?.findings.map((f) => f.id)).toContain(guaranteedReturns().id);

    const oneAgent = await request('GET', `/v1/library/examples?criterion=no_guaranteed_returns&agent=agent-101&${NOVEMBER}`);
    expect((oneAgent.body.items as Example[]).map((e) => e.callId)).toEqual([chinese.id]);
    const none = await request('GET', `/v1/library/examples?criterion=no_such_criterion&${NOVEMBER}`);
    expect(none.body.items).toEqual([]);
  });

  it('pulls the best-scoring calls of a campaign, score descending, and defaults to this month', async () => {
    const response = await request('GET', `/v1/library/examples?campaign=fund-q4&${NOVEMBER}`);
    expect(response.status).toBe(200);
    expect(response.body.order).toBe('best');
    const items = response.body.items as Example[];
    expect(items.map((e) => e.callId)).toEqual([compliant.id, risky.id]);
    expect(items[0]?.score).toBe(compliant.evaluation?.score);
    expect(items[0]?.score).toBeGreaterThan(items[1]?.score ?? Infinity);
    expect(items.every((e) => e.criterion === null)).toBe(true);

    const worst = await request('GET', `/v1/library/examples?campaign=fund-q4&order=worst&limit=1&${NOVEMBER}`);
    expect((worst.body.items as Example[]).map((e) => e.callId)).toEqual([risky.id]);

    // no period: the current calendar month (UTC); the sample calls started on 2026-11-20
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const current = await request('GET', '/v1/library/examples?campaign=fund-q4');
    expect(current.body).toMatchObject({ from: monthStart.toISOString(), to: monthEnd.toISOString() });
    const samplesStarted = Date.parse('2026-11-20T19:00:00Z');
    const samplesInMonth = samplesStarted >= monthStart.getTime() && samplesStarted < monthEnd.getTime();
    expect((current.body.items as Example[]).map((e) => e.callId)).toEqual(samplesInMonth ? [compliant.id, risky.id] : []);

    const bad = await request('GET', '/v1/library/examples?order=middle&limit=101&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(messages(bad.body)).toMatch(/query\.order/);
    expect(messages(bad.body)).toMatch(/query\.limit/);
    const backwards = await request('GET', '/v1/library/examples?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(messages(backwards.body)).toMatch(/query\.to: must be after from/);
  });

  it('exports a collection as a zip of clips, redacted excerpts and a manifest, and audits it', async () => {
    const collection = await createCollection('Export me', 'four examples');
    const finding = guaranteedReturns();
    const items = [
      await addItem(collection.id, { findingId: finding.id, label: 'bad', topics: ['promised returns'] }),
      await addItem(collection.id, { callId: compliant.id, startSeconds: 15, endSeconds: 22, label: 'good', topics: ['risk disclosure'] }),
      await addItem(collection.id, { callId: risky.id, startSeconds: 4, endSeconds: 6.5, label: 'bad', topics: ['card details'] }),
      await addItem(collection.id, { callId: chinese.id, startSeconds: 6.5, endSeconds: 12, label: 'bad', topics: ['保本'] }),
    ];
    // retention deleted the Chinese call's recording: its span has no clip, only the excerpt
    await withDatabase((client) => client.query(`UPDATE "Call" SET "audioDeletedAt" = '2026-11-30T00:00:00Z' WHERE id = $1`, [chinese.id]));

    const response = await authFetch(`${baseUrl}/v1/library/collections/${collection.id}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="library-export-me-\d{4}-\d{2}-\d{2}\.zip"/);
    const files = await readZip(Buffer.from(await response.arrayBuffer()));

    const manifestData = files.get('manifest.json');
    if (!manifestData) throw new Error('no manifest.json');
    const manifest = JSON.parse(manifestData.toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({ collection: { id: collection.id, name: 'Export me', description: 'four examples' }, exportedBy: 'user:admin@earshot.test' });
    expect(manifest.items.map((i) => i.itemId)).toEqual(items.map((i) => i.id));

    // every other file is listed with its size and sha256, and nothing else is in the archive
    expect(manifest.files.map((f) => f.name).sort()).toEqual([...files.keys()].filter((n) => n !== 'manifest.json').sort());
    for (const file of manifest.files) {
      const data = files.get(file.name);
      expect({ name: file.name, bytes: data?.length, sha256: data ? sha256Hex(data) : null }).toEqual(file);
    }

    const [fromFinding, disclosure, card, deleted] = manifest.items;
    expect(fromFinding).toMatchObject({
      label: 'bad',
      findingId: finding.id,
      clip: `clips/001-bad-${items[0]?.id}.mp3`,
      clipSource: 'finding_clip',
      excerpt: `excerpts/001-${items[0]?.id}.txt`,
    });
    expect(disclosure).toMatchObject({ clip: `clips/002-good-${items[1]?.id}.mp3`, clipSource: expect.stringMatching(/recording$/), clipMissingReason: null });
    expect(card?.clip).toBe(`clips/003-bad-${items[2]?.id}.mp3`);
    expect(deleted).toMatchObject({ clip: null, clipSource: null, excerpt: `excerpts/004-${items[3]?.id}.txt` });
    expect(deleted?.clipMissingReason).toMatch(/deleted by retention/);

    for (const item of [fromFinding, disclosure, card]) {
      const clip = files.get(item?.clip ?? '');
      expect(clip && isMp3(clip)).toBe(true);
    }
    // the trainer's own span is cut as chosen: 7 s of the compliant call
    const dir = await mkdtemp(join(tmpdir(), 'library-e2e-'));
    try {
      const path = join(dir, 'span.mp3');
      await writeFile(path, files.get(disclosure?.clip ?? '') ?? Buffer.alloc(0));
      expect((await probeAudio(path)).durationSeconds).toBeCloseTo(7, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const excerpt = (item: Manifest['items'][number] | undefined) => files.get(item?.excerpt ?? '')?.toString('utf8') ?? '';
    expect(excerpt(fromFinding)).toContain('agent: Our new fund has guaranteed returns of twelve percent');
    expect(excerpt(disclosure)).toContain('agent: Please note that investments can go down as well as up');
    expect(excerpt(disclosure)).not.toContain('Of course, I will email it today');
    expect(excerpt(card)).toMatch(/\[00:04\.0–00:06\.3\] customer: Hello, what is this about\? My card is \[CARD\]\./);
    expect(excerpt(card)).not.toContain('4111');
    expect(excerpt(deleted)).toContain('保本保收益');

    const audit = await request('GET', `/v1/audit?entityType=library_collection&entityId=${collection.id}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'library.exported',
        actor: 'user:admin@earshot.test',
        details: expect.objectContaining({ items: 4, clips: 3, manifestSha256: sha256Hex(manifestData) }),
      }),
      // edits of collections are audited too (#18), newest first
      expect.objectContaining({ action: 'library.collection.created', actor: 'user:admin@earshot.test', details: { name: 'Export me' } }),
    ]);
    expect(response.headers.get('x-earshot-manifest-sha256')).toBe(sha256Hex(manifestData));

    expect((await authFetch(`${baseUrl}/v1/library/collections/00000000-0000-4000-8000-000000000000/export`)).status).toBe(404);
  }, 60_000);
});
