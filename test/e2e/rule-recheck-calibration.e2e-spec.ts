import type { INestApplication } from '@nestjs/common';
import { BulkJobName, JobQueues, SideQueueName } from '#libs/queue';
import {
  type SampleCall,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  createUser,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase,
} from '../support/earshot-harness.js';

type Json = Record<string, unknown>;

const rule = (id: string, phrases: string[], extra: Json = {}) => ({
  id,
  version: 1,
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: `acme ${id}`,
  regulation: 'Acme house rule 7',
  speaker: 'agent',
  match: { phrases },
  ...extra,
});

describe('re-check of past calls with a published version, and calibration against reviewers (issue 14 items 4 and 6)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let sample: SampleCall;
  let pad = 0;

  const send = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await authFetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };

  /** Uploads the compliant sample with one agent line replaced, in a campaign. */
  const callWith = async (campaign: string, line: string) => {
    const transcript = JSON.parse(sample.transcript.toString('utf8')) as { segments: { speaker: string; text: string }[] };
    const at = transcript.segments.findIndex((s, i) => i > 0 && s.speaker === 'agent');
    transcript.segments[at] = { ...(transcript.segments[at] as { speaker: string; text: string }), text: line };
    pad += 2;
    const upload = await uploadCall(
      baseUrl,
      uploadForm({
        audio: Buffer.concat([sample.audio, Buffer.alloc(pad)]),
        metadata: { ...sample.metadata, externalId: `rc-${pad}`, campaignExternalId: campaign, customerPhone: `+1415555${String(2000 + pad)}` },
        transcript: Buffer.from(JSON.stringify(transcript)),
      }),
    );
    expect(upload.status).toBe(201);
    const call = await waitForCall(baseUrl, upload.body.id as string, 60_000);
    expect(call.status).toBe('completed');
    return call.id as string;
  };

  const ruleFindings = (callIds: string[]) =>
    withDatabase(environment.databaseUrl, async (db) => {
      const rows = await db.query<{ callId: string; id: string; ruleId: string; ruleVersion: string; evidenceText: string }>(
        `SELECT "callId", id, "ruleId", "ruleVersion", "evidenceText" FROM "Finding" WHERE source = 'rule' AND "callId" = ANY($1::uuid[]) ORDER BY "callId", "dedupeKey"`,
        [callIds],
      );
      return callIds.map((id) => rows.rows.filter((r) => r.callId === id));
    });

  /** The agent-day rollup of these calls, and what it should hold counted from the calls themselves. */
  const rollupAndTruth = (callIds: string[]) =>
    withDatabase(environment.databaseUrl, async (db) => {
      const rollup = await db.query<{ calls: number; findings: number }>(
        `SELECT r.calls, r.findings FROM "AgentDailyRollup" r
         JOIN "Call" c ON c."agentId" = r."agentId" AND r.day = (c."startedAt" AT TIME ZONE 'UTC')::date WHERE c.id = $1`,
        [callIds[0]],
      );
      const truth = await db.query<{ findings: string }>(
        `SELECT count(*) FILTER (WHERE "reviewState" <> 'dismissed') AS findings FROM "Finding" WHERE "callId" = ANY($1::uuid[])`,
        [callIds],
      );
      return { rollup: rollup.rows[0], truth: { calls: callIds.length, findings: Number(truth.rows[0]?.findings) } };
    });

  const pollRecheck = async (jobId: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = await send('GET', `/v1/rule-rechecks/${jobId}`);
      expect(job.status).toBe(200);
      if (job.body.state === 'completed' || job.body.state === 'failed' || Date.now() > deadline) return job.body;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** Waits until the rollup equals the count from the calls (the re-scores it queued have run), then a little longer. */
  const settledRollup = async (callIds: string[]) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const last = await rollupAndTruth(callIds);
      if (last.rollup?.findings === last.truth.findings && last.rollup?.calls === last.truth.calls) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // nothing still queued may move it again (a double count would show here)
    await new Promise((r) => setTimeout(r, 1500));
    return rollupAndTruth(callIds);
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-compliant');
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('re-checks past calls on publish without duplicating findings, and rollups stay exact after it, twice', async () => {
    expect((await send('PUT', '/v1/campaigns/rc-acme', { name: 'Acme' })).status).toBe(201);
    expect((await send('POST', '/v1/rule-packs', { key: 'rc.en', pack: { language: 'en', rules: [rule('rc.moon', ['to the moon'])] } })).status).toBe(201);
    expect((await send('POST', '/v1/rule-packs/rc.en/draft/backtest', { filter: { campaign: 'rc-acme' } })).status).toBe(200);
    const v1 = await send('POST', '/v1/rule-packs/rc.en/publish', { note: 'moon promises are banned' });
    expect(v1.body).toMatchObject({ version: 1 });
    expect(v1.body.recheck).toBeUndefined();
    expect((await send('PUT', '/v1/campaigns/rc-acme/rule-packs', { packs: ['rc.en'] })).status).toBe(200);

    const calls = [
      await callWith('rc-acme', 'Our fund will go to the moon.'),
      await callWith('rc-acme', 'Returns will be sky high.'),
      await callWith('rc-acme', 'Returns will be sky high, straight to the moon.'),
    ];
    expect((await ruleFindings(calls)).map((f) => f.map((x) => x.evidenceText.toLowerCase()))).toEqual([['to the moon'], [], ['to the moon']]);
    const before = await settledRollup(calls);
    expect(before.rollup).toEqual(before.truth);

    // version 2 flags "sky high" instead; published with a re-check of the campaign's past calls
    await send('PUT', '/v1/rule-packs/rc.en/draft', { pack: { language: 'en', rules: [rule('rc.moon', ['sky high'], { version: 2 })] } });
    expect((await send('POST', '/v1/rule-packs/rc.en/draft/backtest', { filter: { campaign: 'rc-acme' } })).status).toBe(200);
    const badPeriod = await send('POST', '/v1/rule-packs/rc.en/publish', { note: 'sky high', recheck: { from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' } });
    expect(badPeriod.status).toBe(400);
    expect(JSON.stringify(badPeriod.body.message)).toContain('body.recheck.from');
    expect((await send('GET', '/v1/rule-packs/rc.en')).body).toMatchObject({ liveVersion: 1 });
    const v2 = await send('POST', '/v1/rule-packs/rc.en/publish', { note: 'sky high, not the moon', recheck: { from: '2000-01-01T00:00:00Z', campaign: 'rc-acme' } });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, recheck: { status: 'queued', progressUrl: expect.stringMatching(/^\/v1\/rule-rechecks\/\d+$/) } });
    const first = await pollRecheck((v2.body.recheck as Json).jobId as string);
    expect(first).toMatchObject({
      state: 'completed',
      request: { packKey: 'rc.en' },
      progress: { total: 3, processed: 3, callsChanged: 3, findingsAdded: 2, findingsRemoved: 2, findingsUpdated: 0 },
    });
    const afterFirst = await ruleFindings(calls);
    expect(afterFirst.map((f) => f.map((x) => `${x.ruleId} ${x.ruleVersion} ${x.evidenceText.toLowerCase()}`))).toEqual([
      [],
      ['rc.moon rc.en@2.0.0#2 sky high'],
      ['rc.moon rc.en@2.0.0#2 sky high'],
    ]);
    const rolled = await settledRollup(calls);
    expect(rolled.rollup).toEqual(rolled.truth);
    expect(rolled.rollup).toEqual({ calls: 3, findings: 2 });

    // the same re-check again: nothing changes, nothing is re-scored, the rollup stays exact
    const again = await send('POST', '/v1/rule-packs/rc.en/recheck', { from: '2000-01-01T00:00:00Z', campaign: 'rc-acme' });
    expect(again.status).toBe(202);
    const second = await pollRecheck(again.body.jobId as string);
    expect(second).toMatchObject({ state: 'completed', progress: { processed: 3, callsChanged: 0, findingsAdded: 0, findingsRemoved: 0, findingsUpdated: 0 } });
    expect((await ruleFindings(calls)).map((f) => f.map((x) => x.id))).toEqual(afterFirst.map((f) => f.map((x) => x.id)));
    const stable = await settledRollup(calls);
    expect(stable.rollup).toEqual({ calls: 3, findings: 2 });

    const audit = await send('GET', '/v1/audit?entityType=rule_pack&entityId=rc.en&limit=50');
    expect((audit.body.items as { action: string }[]).filter((e) => e.action === 'rule_pack.recheck_requested')).toHaveLength(2);
    expect((await send('GET', '/v1/rule-rechecks/999999999')).status).toBe(404);
    expect((await send('POST', '/v1/rule-packs/nope.en/recheck', { from: '2000-01-01T00:00:00Z' })).status).toBe(404);
  }, 240_000);

  it('narrows a backtest to the calls whose stored searchable text holds a draft phrase, and reports what reading every transcript whole does', async () => {
    const calls = [await callWith('nw-acme', 'Honestly we will fly To The Moon, trust me.'), await callWith('nw-acme', 'Nothing to see here.'), await callWith('nw-acme', 'A quiet line.')];
    const stored = await withDatabase(environment.databaseUrl, (db) =>
      db.query<{ searchText: string | null; searchVersion: number | null }>(`SELECT "searchText", "searchVersion" FROM "Transcript" WHERE "callId" = ANY($1::uuid[])`, [calls]),
    );
    expect(stored.rows).toHaveLength(3);
    for (const row of stored.rows) expect(row.searchVersion).toBe(1);
    expect(stored.rows.filter((r) => r.searchText?.includes('we will fly to the moon'))).toHaveLength(1);
    expect((await send('POST', '/v1/rule-packs', { key: 'nw.en', pack: { language: 'en', rules: [rule('nw.moon', ['to the moon'])] } })).status).toBe(201);
    const report = async () => {
      const answer = await send('POST', '/v1/rule-packs/nw.en/draft/backtest', { filter: { campaign: 'nw-acme' } });
      expect(answer.status).toBe(200);
      const { calls: n, callsWithHits, skippedWithoutTranscript } = answer.body as { calls: number; callsWithHits: number; skippedWithoutTranscript: number };
      const [moon] = answer.body.rules as { hits: number; examples: { callId: string; text: string; segmentIndex: number }[] }[];
      return { n, callsWithHits, skippedWithoutTranscript, hits: moon?.hits, examples: moon?.examples.map(({ callId, text, segmentIndex }) => ({ callId, text, segmentIndex })) };
    };
    const narrowed = await report();
    // the example quotes what was said (the transcript's own casing), not the normalised text the search ran on
    expect(narrowed).toEqual({ n: 3, callsWithHits: 1, skippedWithoutTranscript: 0, hits: 1, examples: [{ callId: calls[0], text: 'To The Moon', segmentIndex: expect.any(Number) }] });
    // transcripts stored before searchable forms existed (or by another normaliser version) are read whole: same report
    await withDatabase(environment.databaseUrl, (db) => db.query(`UPDATE "Transcript" SET "searchText" = NULL, "searchVersion" = NULL WHERE "callId" = ANY($1::uuid[])`, [calls]));
    expect(await report()).toEqual(narrowed);
    await withDatabase(environment.databaseUrl, (db) => db.query(`UPDATE "Transcript" SET "searchText" = 'stale', "searchVersion" = 0 WHERE "callId" = ANY($1::uuid[])`, [calls]));
    expect(await report()).toEqual(narrowed);
  }, 120_000);

  it('runs a background backtest as a job on the bulk queue, owned by the worker', async () => {
    expect((await send('POST', '/v1/rule-packs', { key: 'bt.en', pack: { language: 'en', rules: [rule('bt.moon', ['to the moon'])] } })).status).toBe(201);
    const started = await send('POST', '/v1/rule-packs/bt.en/draft/backtest', { filter: { limit: 50 }, background: true });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const deadline = Date.now() + 60_000;
    let run = started.body;
    while (run.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await send('GET', `/v1/rule-backtests/${id}`)).body;
    }
    expect(run).toMatchObject({ status: 'completed', result: { recorded: true } });
    const job = await app.get(JobQueues).queue(SideQueueName.Bulk).getJob(`backtest.${id}`);
    expect(job?.name).toBe(BulkJobName.BacktestDraft);
    expect(job?.data).toEqual({ runId: id });
    expect(await job?.getState()).toBe('completed');
  }, 90_000);

  it('adds a missed finding on a call (audited, listed) and refuses bad ones naming the field', async () => {
    const callId = await withDatabase(environment.databaseUrl, async (db) => (await db.query<{ id: string }>(`SELECT id FROM "Call" LIMIT 1`)).rows[0]?.id as string);
    const bad = await send('POST', `/v1/calls/${callId}/missed-findings`, { quote: ' ' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/ruleId/);
    expect(JSON.stringify(bad.body.message)).toMatch(/quote/);
    expect((await send('POST', '/v1/calls/00000000-0000-4000-8000-000000000000/missed-findings', { ruleId: 'x', quote: 'y' })).status).toBe(404);
    const trainer = await createUser(baseUrl, { email: 'trainer@rc.test', role: 'trainer' });
    expect((await send('POST', `/v1/calls/${callId}/missed-findings`, { ruleId: 'x', quote: 'y' }, trainer)).status).toBe(403);

    const added = await send('POST', `/v1/calls/${callId}/missed-findings`, { ruleId: 'rc.moon', quote: 'the sky is the limit', segmentIndex: 2, startSeconds: 4.5, note: 'a paraphrase of sky high' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ callId, ruleId: 'rc.moon', source: 'rule', quote: 'the sky is the limit', segmentIndex: 2, note: 'a paraphrase of sky high', createdBy: expect.stringContaining('admin@earshot.test') });
    const listed = await send('GET', `/v1/calls/${callId}/missed-findings`, undefined, trainer);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: added.body.id })]);
    const audit = await send('GET', `/v1/audit?callId=${callId}&limit=20`);
    expect((audit.body.items as { action: string; details: Json }[]).find((e) => e.action === 'finding.missed_added')).toMatchObject({ details: { ruleId: 'rc.moon', quote: 'the sky is the limit' } });
    await withDatabase(environment.databaseUrl, (db) => db.query(`DELETE FROM "MissedFinding"`));
  }, 60_000);

  it('reports calibration per rule and question on a hand-built reviewed set with known answers', async () => {
    // 12 calls of a campaign of their own, yesterday. Reviewed (a decision or a missed finding): c1..c11, c7 only
    // through its missed finding. cal.r1: confirmed on c1-c4, dismissed on c5-c6, missed on c7, pending on c11;
    // cal.q2 (an LLM question): confirmed on c11; cal.r3: dismissed on c1-c5; cal.r4: dismissed on c8-c10.
    // c12 has only a pending cal.r1: not reviewed, it counts nowhere.
    expect((await send('PUT', '/v1/campaigns/cal-acme', { name: 'Calibration' })).status).toBe(201);
    const ids = await withDatabase(environment.databaseUrl, async (db) => {
      const campaignId = (await db.query<{ id: string }>(`SELECT id FROM "Campaign" WHERE "externalId" = 'cal-acme'`)).rows[0]?.id;
      const created = await db.query<{ id: string; n: number }>(
        `INSERT INTO "Call" (id, "campaignId", "customerPhone", direction, "startedAt", "channelLayout", "audioKey", "audioSha256", "audioBytes", "audioContentType", status, "createdAt", "updatedAt")
         SELECT gen_random_uuid(), $1, '+14155550000', 'outbound', now() - interval '1 day', 'stereo', 'x', md5('cal' || g), 1, 'audio/wav', 'completed', now(), now()
         FROM generate_series(1, 12) g RETURNING id, 0 AS n`,
        [campaignId],
      );
      const c = created.rows.map((r) => r.id);
      const findings: [number, string, string, string][] = [
        [1, 'cal.r1', 'rule', 'confirmed'], [2, 'cal.r1', 'rule', 'confirmed'], [3, 'cal.r1', 'rule', 'confirmed'], [4, 'cal.r1', 'rule', 'confirmed'],
        [5, 'cal.r1', 'rule', 'dismissed'], [6, 'cal.r1', 'rule', 'dismissed'], [11, 'cal.r1', 'rule', 'pending'], [12, 'cal.r1', 'rule', 'pending'],
        [8, 'cal.r4', 'rule', 'dismissed'], [9, 'cal.r4', 'rule', 'dismissed'], [10, 'cal.r4', 'rule', 'dismissed'],
        [11, 'cal.q2', 'llm', 'confirmed'],
        [1, 'cal.r3', 'rule', 'dismissed'], [2, 'cal.r3', 'rule', 'dismissed'], [3, 'cal.r3', 'rule', 'dismissed'], [4, 'cal.r3', 'rule', 'dismissed'], [5, 'cal.r3', 'rule', 'dismissed'],
      ];
      for (const [n, ruleId, source, state] of findings) {
        await db.query(
          `INSERT INTO "Finding" (id, "callId", "dedupeKey", source, "ruleId", "ruleVersion", severity, dimension, description, "reviewState", "createdAt", "updatedAt")
           VALUES (gen_random_uuid(), $1, $2, $3::"FindingSource", $2, '1', 'major', 'compliance', 'd', $4::"ReviewState", now(), now())`,
          [c[n - 1], ruleId, source, state],
        );
      }
      return c;
    });
    expect((await send('POST', `/v1/calls/${ids[6] as string}/missed-findings`, { ruleId: 'cal.r1', quote: 'you cannot lose' })).status).toBe(201);

    const from = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const report = await send('GET', `/v1/calibration?campaign=cal-acme&from=${encodeURIComponent(from)}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ campaign: 'cal-acme', floor: 0.8, reviewedCalls: 11 });
    const rules = report.body.rules as Json[];
    expect(rules.map((r) => r.ruleId)).toEqual(['cal.r3', 'cal.r4', 'cal.r1', 'cal.q2']);
    const r1 = rules[2] as Json & { precision: Json & { ci95: { low: number; high: number } }; recall: Json; agreement: Json; kappa: { value: number; ci95: { low: number; high: number } } };
    expect(r1).toMatchObject({ confirmed: 4, dismissed: 2, pending: 1, missed: 1, calls: { a: 4, b: 2, c: 1, d: 3, n: 10, undecided: 1 }, belowFloor: true, confidentlyBelowFloor: false });
    expect(r1.precision.value).toBeCloseTo(4 / 6, 10);
    expect(r1.precision.ci95.low).toBeCloseTo(0.3, 3);
    expect(r1.precision.ci95.high).toBeCloseTo(0.9032, 3);
    expect(r1.recall.value).toBeCloseTo(4 / 5, 10);
    expect(r1.agreement.value).toBeCloseTo(0.7, 10);
    // by hand: po = 7/10; pe = ((4+2)(4+1) + (1+3)(2+3)) / 10^2 = 50/100; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    const po = 7 / 10;
    const pe = ((4 + 2) * (4 + 1) + (1 + 3) * (2 + 3)) / 100;
    expect(r1.kappa.value).toBeCloseTo((po - pe) / (1 - pe), 10);
    expect(r1.kappa.value).toBeCloseTo(0.4, 10);
    const se = Math.sqrt((po * (1 - po)) / (10 * (1 - pe) ** 2));
    expect(r1.kappa.ci95.low).toBeCloseTo(0.4 - 1.959964 * se, 5);
    expect(rules[3]).toMatchObject({ ruleId: 'cal.q2', source: 'llm', confirmed: 1, belowFloor: false, kappa: { value: 1 } });
    expect(rules[0]).toMatchObject({ ruleId: 'cal.r3', dismissed: 5, belowFloor: true, confidentlyBelowFloor: true, precision: { value: 0 }, calls: { a: 0, b: 5, c: 0, d: 6 } });
    // b=5 d=6 of 11: po = 6/11 = pe = (5*0 + 11*6)/121, so kappa = 0
    expect((rules[0] as { kappa: { value: number } }).kappa.value).toBeCloseTo(0, 10);

    expect((await send('GET', '/v1/calibration?from=nope')).status).toBe(400);
    const trainer = await createUser(baseUrl, { email: 'trainer2@rc.test', role: 'trainer' });
    expect((await send('GET', '/v1/calibration?campaign=cal-acme', undefined, trainer)).status).toBe(200);
  }, 60_000);
});
