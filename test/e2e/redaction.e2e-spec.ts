import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import * as Minio from 'minio';
import pg from 'pg';
import { decodePcm } from '#libs/audio';
import { RedactionBackfillService } from '#libs/pipeline';
import { REDACTION_RULES_VERSION } from '#libs/redaction';
import {
  type SampleCall,
  type TestEnvironment,
  authFetch,
  createUser,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';

const RATE = 8000;
const CARD = '4111 1111 1111 1111';
const EMAIL = 'dana.lee@example.com';
const CN_ID = '11010519491231002X';
const ACCOUNT = '6217 0000 1234 5678';
const NAMES_IN_CLEAR = 'names-in-clear';
const NONE = { card: 0, national_id: 0, email: 0, bank_account: 0, phone: 0, name: 0, address: 0, date_of_birth: 0 };

interface Segment {
  speaker: string;
  start: number;
  end: number;
  text: string;
  words?: { w: string; start: number; end: number }[];
}
interface Span {
  start: number;
  end: number;
}
interface Redaction {
  counts: Record<string, number>;
  audioSpans: Span[];
  rules?: number;
  kinds?: string[];
}

function transcriptOf(sample: SampleCall): { segments: Segment[] } & Record<string, unknown> {
  return JSON.parse(sample.transcript.toString('utf8')) as { segments: Segment[] };
}

/** EN: the customer reads a card number (with word timestamps) in segment 3 and gives an email (no words) in segment 5. */
function enWithCardAndEmail(sample: SampleCall, withCard: boolean): Buffer {
  const doc = transcriptOf(sample);
  const three = doc.segments[3] as Segment;
  if (withCard) {
    const lead = ['That', 'sounds', 'too', 'good', 'to', 'be', 'true,', 'my', 'card', 'is'];
    const digits = CARD.split(' ');
    three.text = `That sounds too good to be true, my card is ${CARD}.`;
    three.words = [
      ...lead.map((w, i) => ({ w, start: 13.5 + i * 0.12, end: 13.5 + (i + 1) * 0.12 })),
      ...digits.map((w, i) => ({ w: i === digits.length - 1 ? `${w}.` : w, start: 14.8 + i * 0.25, end: 15.05 + i * 0.25 })),
    ];
  }
  const five = doc.segments[5] as Segment;
  five.text = `Please stop calling me and take me off your list, my email is ${EMAIL}.`;
  return Buffer.from(JSON.stringify(doc));
}

function zhWithIdAndAccount(sample: SampleCall): Buffer {
  const doc = transcriptOf(sample);
  (doc.segments[5] as Segment).text = `我的身份证号是${CN_ID}，账号是 ${ACCOUNT}，我不需要，别再打了。`;
  return Buffer.from(JSON.stringify(doc));
}

function rms(data: Float32Array, from: number, to: number): number {
  const a = Math.max(0, Math.round(from * RATE));
  const b = Math.min(data.length, Math.round(to * RATE));
  let sum = 0;
  for (let i = a; i < b; i++) sum += (data[i] ?? 0) ** 2;
  return Math.sqrt(sum / Math.max(1, b - a));
}

function peak(data: Float32Array, from: number, to: number): number {
  let max = 0;
  for (let i = Math.round(from * RATE); i < Math.min(data.length, Math.round(to * RATE)); i++) max = Math.max(max, Math.abs(data[i] ?? 0));
  return max;
}

describe('redaction: stored transcripts and a muted copy of the recording (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let db: pg.Client;
  let s3: Minio.Client;
  let dir: string;
  let en: SampleCall;
  let zh: SampleCall;
  let enCallId: string;

  async function objectBytes(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await s3.getObject(environment.env.S3_BUCKET as string, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Decodes audio bytes to one Float32Array per channel at 8 kHz. */
  async function decode(bytes: Buffer, name: string, channels: number): Promise<Float32Array[]> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    const out: number[][] = Array.from({ length: channels }, () => []);
    for await (const block of decodePcm(path, { sampleRate: RATE, channels })) block.forEach((data, ch) => out[ch]?.push(...data));
    return out.map((c) => Float32Array.from(c));
  }

  async function rows(callId: string) {
    const call = await db.query<{ audioKey: string; redactedAudioKey: string | null }>('SELECT "audioKey", "redactedAudioKey" FROM "Call" WHERE id = $1', [callId]);
    const transcript = await db.query<{ segments: Segment[]; redactedSegments: Segment[] | null; redaction: Redaction | null }>(
      'SELECT segments, "redactedSegments", redaction FROM "Transcript" WHERE "callId" = $1',
      [callId],
    );
    const findings = await db.query<{ id: string; clipKey: string | null; startSeconds: number | null; endSeconds: number | null }>(
      'SELECT id, "clipKey", "startSeconds", "endSeconds" FROM "Finding" WHERE "callId" = $1',
      [callId],
    );
    return { call: call.rows[0], transcript: transcript.rows[0], findings: findings.rows };
  }

  /** Clips (mono mp3, CLIP_PAD_SECONDS = 3 each side) that overlap the inside of a span by 0.2 s or more, with that overlap. */
  async function clipsOver(findings: Awaited<ReturnType<typeof rows>>['findings'], span: Span) {
    const inner = { start: span.start + 0.1, end: span.end - 0.1 };
    const hits: { samples: Float32Array; from: number; to: number; callFrom: number }[] = [];
    for (const finding of findings) {
      if (finding.clipKey === null || finding.startSeconds === null) continue;
      const clipStart = Math.max(0, finding.startSeconds - 3);
      const clipEnd = (finding.endSeconds ?? finding.startSeconds) + 3;
      const from = Math.max(inner.start, clipStart);
      const to = Math.min(inner.end, clipEnd);
      if (to - from < 0.2) continue;
      const [samples] = await decode(await objectBytes(finding.clipKey), `${finding.id}.mp3`, 1);
      hits.push({ samples: samples as Float32Array, from: from - clipStart, to: to - clipStart, callFrom: from });
    }
    return hits;
  }

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    db = new pg.Client({ connectionString: environment.databaseUrl });
    await db.connect();
    s3 = new Minio.Client(environment.s3.clientOptions);
    dir = await mkdtemp(join(tmpdir(), 'earshot-redaction-e2e-'));
    en = await loadSample('en-guaranteed-returns');
    zh = await loadSample('zh-baoben');
    // the EN calls go to a campaign that keeps names in the clear (the agent introduces herself by name), so their
    // mutes are only the numbers and emails; the default (every kind) is checked on the Chinese call
    const campaign = await authFetch(`${baseUrl}/v1/campaigns/${NAMES_IN_CLEAR}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redactionOff: ['name'] }),
    });
    expect(campaign.status).toBe(201);
    expect(((await campaign.json()) as { redactionOff: string[] }).redactionOff).toEqual(['name']);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await environment?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('stores the redacted transcript beside the original and mutes the card and email in a copy of the recording', async () => {
    const metadata = { ...en.metadata, campaignExternalId: NAMES_IN_CLEAR };
    const upload = await uploadCall(baseUrl, uploadForm({ audio: en.audio, metadata, transcript: enWithCardAndEmail(en, true) }));
    expect(upload.status).toBe(201);
    enCallId = upload.body.id as string;
    expect((await waitForCall(baseUrl, enCallId, 45_000)).status).toBe('completed');
    const { call, transcript } = await rows(enCallId);

    expect(transcript?.segments[3]?.text).toContain(CARD);
    expect(transcript?.segments[5]?.text).toContain(EMAIL);
    expect(transcript?.redactedSegments?.[3]?.text).toBe('That sounds too good to be true, my card is [CARD].');
    expect(transcript?.redactedSegments?.[5]?.text).toBe('Please stop calling me and take me off your list, my email is [EMAIL].');
    expect(JSON.stringify(transcript?.redactedSegments)).not.toMatch(/1111|dana\.lee/);
    expect(transcript?.redactedSegments?.[0]).toEqual(transcript?.segments[0]);
    expect(transcript?.redaction?.counts).toEqual({ ...NONE, card: 1, email: 1 });
    expect(transcript?.redaction?.kinds).not.toContain('name');
    const spans = transcript?.redaction?.audioSpans ?? [];
    // the card from its words (14.8–15.8 s, padded 0.15 s); the email estimated inside its segment (22–25.51 s)
    expect(spans).toHaveLength(2);
    expect(spans[0]).toEqual({ start: 14.65, end: 15.95 });
    expect(spans[1]?.start).toBeGreaterThan(22);
    expect(spans[1]?.end).toBeLessThanOrEqual(25.51);

    expect(call?.redactedAudioKey).toMatch(new RegExp(`^redacted/${enCallId}-[0-9a-f]{16}\\.wav$`));
    expect(call?.redactedAudioKey).not.toBe(call?.audioKey);
    const original = await decode(en.audio, 'en-original.wav', 2);
    const muted = await decode(await objectBytes(call?.redactedAudioKey as string), 'en-muted.wav', 2);
    expect(muted[1]).toHaveLength((original[1] as Float32Array).length);
    for (const span of spans) {
      for (let ch = 0; ch < 2; ch++) expect(peak(muted[ch] as Float32Array, span.start, span.end)).toBe(0);
      // the customer (right channel) was speaking there
      expect(rms(original[1] as Float32Array, span.start, span.end)).toBeGreaterThan(0.01);
    }
    // everywhere else the recording is as it was
    for (let ch = 0; ch < 2; ch++) {
      expect(Array.from((muted[ch] as Float32Array).subarray(0, Math.round(14.6 * RATE)))).toEqual(
        Array.from((original[ch] as Float32Array).subarray(0, Math.round(14.6 * RATE))),
      );
    }
    expect(rms(muted[1] as Float32Array, 4.04, 6.3)).toBeCloseTo(rms(original[1] as Float32Array, 4.04, 6.3), 6);
  }, 60_000);

  it('cuts the findings\' clips from the muted copy', async () => {
    const { findings } = await rows(enCallId);
    const cardSpan = { start: 14.65, end: 15.95 };
    const [original] = await decode(en.audio, 'en-original-mono.wav', 1);
    const clips = await clipsOver(findings, cardSpan);
    expect(clips.length).toBeGreaterThan(0);
    for (const clip of clips) {
      expect(rms(original as Float32Array, clip.callFrom, clip.callFrom + (clip.to - clip.from))).toBeGreaterThan(0.005);
      expect(rms(clip.samples, clip.from, clip.to)).toBeLessThan(0.002);
    }
  }, 30_000);

  it('serves the redacted views through the API; the unredacted ones need a role or a grant and are audited', async () => {
    const trainer = await createUser(baseUrl, { email: 'trainer@earshot.test', role: 'trainer' });
    const granted = await createUser(baseUrl, { email: 'senior-trainer@earshot.test', role: 'trainer', unredactedAccess: true });
    const compliance = await createUser(baseUrl, { email: 'compliance@earshot.test', role: 'compliance' });
    const get = (token: string, path: string) => authFetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const lastAudit = async () =>
      (await db.query<{ actor: string; action: string; details: Record<string, unknown> }>('SELECT actor, action, details FROM "AuditEvent" ORDER BY id DESC LIMIT 1')).rows[0];
    const { call } = await rows(enCallId);

    const view = (await (await get(trainer, `/v1/calls/${enCallId}`)).json()) as { transcript: { redacted: boolean; redactionCounts: unknown; segments: Segment[] } };
    expect(view.transcript.redacted).toBe(true);
    expect(view.transcript.redactionCounts).toEqual({ ...NONE, card: 1, email: 1 });
    expect(view.transcript.segments[3]?.text).toBe('That sounds too good to be true, my card is [CARD].');
    expect(JSON.stringify(view)).not.toMatch(/1111 1111|dana\.lee/);
    const audio = await get(trainer, `/v1/calls/${enCallId}/audio`);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).equals(await objectBytes(call?.redactedAudioKey as string))).toBe(true);

    for (const path of [`/v1/calls/${enCallId}?unredacted=true`, `/v1/calls/${enCallId}/audio?unredacted=true`]) {
      const refused = await get(trainer, path);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toMatch(/unredactedAccess/);
      expect(await lastAudit()).toMatchObject({ actor: 'user:trainer@earshot.test', action: 'access.denied' });
    }
    expect((await get(trainer, `/v1/calls/${enCallId}?unredacted=yes`)).status).toBe(400);

    const full = (await (await get(granted, `/v1/calls/${enCallId}?unredacted=true`)).json()) as { transcript: { redacted: boolean; segments: Segment[] } };
    expect(full.transcript.redacted).toBe(false);
    expect(full.transcript.segments[3]?.text).toContain(CARD);
    expect(await lastAudit()).toMatchObject({ actor: 'user:senior-trainer@earshot.test', action: 'call.viewed', details: { unredacted: true } });
    const original = await get(compliance, `/v1/calls/${enCallId}/audio?unredacted=true`);
    expect(Buffer.from(await original.arrayBuffer()).equals(en.audio)).toBe(true);
    expect(await lastAudit()).toMatchObject({ actor: 'user:compliance@earshot.test', action: 'recording.accessed', details: { unredacted: true } });
  }, 30_000);

  it('finds a Chinese id and account number in Chinese text and mutes them', async () => {
    const upload = await uploadCall(baseUrl, uploadForm({ audio: zh.audio, metadata: zh.metadata, transcript: zhWithIdAndAccount(zh) }));
    expect(upload.status).toBe(201);
    const id = upload.body.id as string;
    expect((await waitForCall(baseUrl, id, 45_000)).status).toBe('completed');
    const { call, transcript } = await rows(id);
    expect(transcript?.segments[5]?.text).toContain(CN_ID);
    expect(transcript?.redactedSegments?.[5]?.text).toBe('我的身份证号是[NATIONAL_ID]，账号是 [BANK_ACCOUNT]，我不需要，别再打了。');
    expect(transcript?.redaction?.counts).toEqual({ ...NONE, national_id: 1, bank_account: 1 });
    const spans = transcript?.redaction?.audioSpans ?? [];
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.every((s) => s.start >= 29.32 && s.end <= 33.2)).toBe(true);
    expect(call?.redactedAudioKey).not.toBe(call?.audioKey);
    const muted = await decode(await objectBytes(call?.redactedAudioKey as string), 'zh-muted.wav', 2);
    for (const span of spans) for (let ch = 0; ch < 2; ch++) expect(peak(muted[ch] as Float32Array, span.start, span.end)).toBe(0);
    expect(rms(muted[0] as Float32Array, 0.5, 5.43)).toBeGreaterThan(0.01);
  }, 60_000);

  it('keeps the recording itself as the redacted audio of a call with nothing to redact', async () => {
    const sample = await loadSample('en-compliant');
    const metadata = { ...sample.metadata, campaignExternalId: NAMES_IN_CLEAR };
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata, transcript: sample.transcript }));
    const id = upload.body.id as string;
    expect((await waitForCall(baseUrl, id, 45_000)).status).toBe('completed');
    const { call, transcript } = await rows(id);
    expect(call?.redactedAudioKey).toBe(call?.audioKey);
    expect(transcript?.redaction).toMatchObject({ counts: NONE, audioSpans: [] });
    expect(transcript?.redactedSegments).toEqual(transcript?.segments);
    const stored = await s3.listObjectsV2(environment.env.S3_BUCKET as string, `redacted/${id}`, true).toArray();
    expect(stored).toHaveLength(0);
  }, 60_000);

  it('recomputes the copy when a new transcript is imported: new spans, the old copy deleted, clips cut again', async () => {
    const before = await rows(enCallId);
    const put = await authFetch(`${baseUrl}/v1/calls/${enCallId}/transcript`, {
      method: 'PUT',
      body: enWithCardAndEmail(en, false),
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(202);
    expect((await waitForCall(baseUrl, enCallId, 45_000)).status).toBe('completed');
    const after = await rows(enCallId);
    expect(after.transcript?.redaction?.counts).toEqual({ ...NONE, email: 1 });
    expect(after.transcript?.redaction?.audioSpans).toHaveLength(1);
    expect(after.call?.redactedAudioKey).toMatch(/^redacted\//);
    expect(after.call?.redactedAudioKey).not.toBe(before.call?.redactedAudioKey);
    await expect(s3.statObject(environment.env.S3_BUCKET as string, before.call?.redactedAudioKey as string)).rejects.toThrow();
    // the card's former span is no longer muted, in the copy and in the clips cut again from it
    const muted = await decode(await objectBytes(after.call?.redactedAudioKey as string), 'en-muted-2.wav', 2);
    expect(rms(muted[1] as Float32Array, 14.75, 15.85)).toBeGreaterThan(0.01);
    expect(after.findings.filter((f) => f.startSeconds !== null).every((f) => f.clipKey !== null)).toBe(true);
    const clips = await clipsOver(after.findings, { start: 14.65, end: 15.95 });
    expect(clips.length).toBeGreaterThan(0);
    for (const clip of clips) expect(rms(clip.samples, clip.from, clip.to)).toBeGreaterThan(0.005);
  }, 60_000);

  it('redacts a transcript stored by older rules again when it is read, with the kinds of its campaign', async () => {
    const { transcript } = await rows(enCallId);
    // as an older version stored it: the view with nothing taken, counts of four kinds, no rules version
    await db.query('UPDATE "Transcript" SET "redactedSegments" = segments, redaction = $2 WHERE "callId" = $1', [
      enCallId,
      JSON.stringify({ counts: { card: 0, national_id: 0, email: 0, bank_account: 0 }, audioSpans: [] }),
    ]);
    const trainer = await createUser(baseUrl, { email: 'trainer-stale@earshot.test', role: 'trainer' });
    const response = await authFetch(`${baseUrl}/v1/calls/${enCallId}`, { headers: { authorization: `Bearer ${trainer}` } });
    const view = (await response.json()) as { transcript: { redactionCounts: unknown; segments: Segment[] } };
    expect(view.transcript.redactionCounts).toEqual({ ...NONE, email: 1 });
    expect(view.transcript.segments[5]?.text).toBe('Please stop calling me and take me off your list, my email is [EMAIL].');
    // the campaign keeps names in the clear
    expect(view.transcript.segments[0]?.text).toBe(transcript?.segments[0]?.text);
    expect(JSON.stringify(view)).not.toMatch(/dana\.lee/);
  }, 30_000);

  it('backfills a call stored by older rules: a new view, a new muted copy of the recording and its clips cut again', async () => {
    // as an older version left it: nothing redacted in the view and nothing muted, the recording itself as the copy
    await db.query('UPDATE "Call" SET "redactedAudioKey" = "audioKey" WHERE id = $1', [enCallId]);
    await db.query('UPDATE "Transcript" SET "redactedSegments" = segments, redaction = $2 WHERE "callId" = $1', [
      enCallId,
      JSON.stringify({ counts: { card: 0, national_id: 0, email: 0, bank_account: 0 }, audioSpans: [] }),
    ]);
    const backfill = app.get(RedactionBackfillService);
    const result = await backfill.backfill();
    expect(result.redone).toEqual([enCallId]);
    expect(result.failed).toEqual([]);
    expect(result.examined).toBeGreaterThanOrEqual(3);
    const { call, transcript, findings } = await rows(enCallId);
    expect(transcript?.redaction).toMatchObject({ counts: { ...NONE, email: 1 }, rules: REDACTION_RULES_VERSION });
    expect(transcript?.redaction?.kinds).not.toContain('name');
    expect(transcript?.redactedSegments?.[5]?.text).toBe('Please stop calling me and take me off your list, my email is [EMAIL].');
    expect(call?.redactedAudioKey).toMatch(/^redacted\//);
    const span = transcript?.redaction?.audioSpans[0] as Span;
    const muted = await decode(await objectBytes(call?.redactedAudioKey as string), 'en-backfilled.wav', 2);
    for (let ch = 0; ch < 2; ch++) expect(peak(muted[ch] as Float32Array, span.start, span.end)).toBe(0);
    // every timed finding has its clip again, and a clip over the email is silent there
    expect(findings.filter((f) => f.startSeconds !== null).every((f) => f.clipKey !== null)).toBe(true);
    const clips = await clipsOver(findings, span);
    expect(clips.length).toBeGreaterThan(0);
    for (const clip of clips) expect(rms(clip.samples, clip.from, clip.to)).toBeLessThan(0.002);
    // a second run finds nothing stale
    expect((await backfill.backfill()).redone).toEqual([]);
  }, 60_000);
});
