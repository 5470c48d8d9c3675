import type { INestApplication } from '@nestjs/common';
import { RulePackRuntime } from '#libs/rule-catalog';
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

describe('rule packs as data: draft, backtest, publish, roll back; campaigns choose their packs', () => {
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

  /** Uploads the compliant sample with one agent line replaced, in a campaign; returns the rule findings. */
  const callWith = async (campaign: string | undefined, line: string) => {
    const transcript = JSON.parse(sample.transcript.toString('utf8')) as { segments: { speaker: string; text: string }[] };
    const at = transcript.segments.findIndex((s, i) => i > 0 && s.speaker === 'agent');
    transcript.segments[at] = { ...(transcript.segments[at] as { speaker: string; text: string }), text: line };
    pad += 2;
    const upload = await uploadCall(
      baseUrl,
      uploadForm({
        audio: Buffer.concat([sample.audio, Buffer.alloc(pad)]),
        metadata: { ...sample.metadata, externalId: `rp-${pad}`, campaignExternalId: campaign, customerPhone: `+1415555${String(1000 + pad)}` },
        transcript: Buffer.from(JSON.stringify(transcript)),
      }),
    );
    expect(upload.status).toBe(201);
    const call = await waitForCall(baseUrl, upload.body.id as string, 60_000);
    expect(call.status).toBe('completed');
    return { id: call.id, findings: (call.findings as unknown as { ruleId: string; ruleVersion: string; source: string }[]).filter((f) => f.source === 'rule') };
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

  it('seeds the shipped packs as read-only system packs, once', async () => {
    const list = await send('GET', '/v1/rule-packs');
    const items = list.body.items as { key: string; system: boolean; liveVersion: number }[];
    expect(items.filter((p) => p.system).map((p) => [p.key, p.liveVersion])).toEqual([
      ['financial-telesales.en', 1],
      ['financial-telesales.zh', 1],
    ]);
    expect(await app.get(RulePackRuntime).seedShipped()).toEqual([]);
    const edit = await send('PUT', '/v1/rule-packs/financial-telesales.en/draft', { pack: { language: 'en', rules: [rule('x', ['y'])] } });
    expect(edit.status).toBe(409);
    expect(JSON.stringify(edit.body.message)).toMatch(/read-only; fork it/);
    // published versions are immutable in the database itself
    await expect(withDatabase(environment.databaseUrl, (db) => db.query(`UPDATE "RulePackVersion" SET note = 'x'`))).rejects.toThrow(/immutable/);
  });

  it('answers 400 naming the field of a bad rule, and refuses regexes the linear engine cannot run', async () => {
    const bad = await send('POST', '/v1/rule-packs', { key: 'bad.en', pack: { language: 'en', rules: [rule('ok', ['fine']), rule('empty', ['fine', ''])] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('body.pack.rules.1.match.phrases.1');
    const regex = await send('POST', '/v1/rules/validate', { rule: { ...rule('r', []), match: { regex: '(?<!not )guaranteed' } } });
    expect(regex.status).toBe(400);
    expect(JSON.stringify(regex.body.message)).toContain('body.rule.match.regex: regular expression refused');
    expect((await send('GET', '/v1/rule-packs/bad.en')).status).toBe(404);
  });

  it('tests a draft rule on pasted text, returning spans', async () => {
    const result = await send('POST', '/v1/rules/test', {
      rule: { ...rule('near', []), match: { near: [{ phrases: ['double'] }, { phrases: ['your money'] }], within: 3, unit: 'words' } },
      text: 'customer: will it double your money?\nwe will double your money in a year',
    });
    expect(result.status).toBe(200);
    expect(result.body.matches).toMatchObject([{ ruleId: 'near', segmentIndex: 1, charStart: 8, charEnd: 25, text: 'double your money' }]);
  });

  it('runs a published draft for the campaign that enables it, records pack and version, rolls back, and audits each step', async () => {
    expect((await send('PUT', '/v1/campaigns/rp-acme', { name: 'Acme' })).status).toBe(201);
    const created = await send('POST', '/v1/rule-packs', { key: 'acme.en', pack: { language: 'en', rules: [rule('acme.moon', ['to the moon'])] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'acme.en', system: false, liveVersion: null, hasDraft: true });

    // nothing goes live untested, and not without a note
    expect((await send('POST', '/v1/rule-packs/acme.en/publish', { note: 'first' })).body.message).toEqual([
      expect.stringContaining('backtest the draft of acme.en as it stands before publishing'),
    ]);
    const before = await callWith('rp-acme', 'Our fund will go to the moon, I promise.');
    const backtest = await send('POST', '/v1/rule-packs/acme.en/draft/backtest', { filter: { campaign: 'rp-acme' } });
    expect(backtest.status).toBe(200);
    expect(backtest.body).toMatchObject({ calls: 1, callsWithHits: 1, recorded: true, comparedWith: { added: 1, removed: 0 } });
    expect((backtest.body.rules as Json[])[0]).toMatchObject({ ruleId: 'acme.moon', hits: 1, examples: [{ callId: before.id, link: expect.stringMatching(new RegExp(`^/calls/${before.id}\\?t=\\d+$`)) }] });
    const noNote = await send('POST', '/v1/rule-packs/acme.en/publish', { note: '  ' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.message).toEqual(['body.note: must say what changed and why']);
    const v1 = await send('POST', '/v1/rule-packs/acme.en/publish', { note: 'moon promises are banned' });
    expect(v1.body).toMatchObject({ version: 1, semver: '1.0.0', diff: { added: ['acme.moon'] } });

    // the campaign swaps the shipped pack for its own: no shipped findings, its rule with pack and version
    const chosen = await send('PUT', '/v1/campaigns/rp-acme/rule-packs', { packs: ['acme.en'] });
    expect(chosen.body).toMatchObject({ chosen: ['acme.en'], running: [{ key: 'acme.en', version: 1 }] });
    const first = await callWith('rp-acme', 'Our fund will go to the moon and you will get guaranteed returns.');
    expect(first.findings.map((f) => `${f.ruleId} ${f.ruleVersion}`)).toEqual(['acme.moon acme.en@1.0.0#1']);
    // a call without that campaign still runs the shipped packs
    const shipped = await callWith(undefined, 'You will get guaranteed returns of eight percent.');
    expect(shipped.findings.some((f) => f.ruleVersion.startsWith('financial-telesales.en@'))).toBe(true);

    // version 2: a second phrase; the backtest counts what it adds against the live version
    const draft = await send('PUT', '/v1/rule-packs/acme.en/draft', { pack: { language: 'en', rules: [rule('acme.moon', ['to the moon', 'sky high'], { version: 2 })] } });
    expect(draft.body).toMatchObject({ draftBacktested: false, draftDiff: { changed: [{ ruleId: 'acme.moon', fields: ['match', 'version'] }] } });
    const second = await callWith('rp-acme', 'Returns will be sky high.');
    expect(second.findings).toEqual([]);
    const backtest2 = await send('POST', '/v1/rule-packs/acme.en/draft/backtest', { filter: { campaign: 'rp-acme' } });
    expect(backtest2.body).toMatchObject({ comparedWith: { added: 1, removed: 0, unchanged: 2 } });
    expect((await send('POST', '/v1/rule-packs/acme.en/publish', { note: 'sky high too' })).body).toMatchObject({ version: 2, semver: '2.0.0' });
    const next = await callWith('rp-acme', 'Returns will be sky high, to the moon.');
    expect(next.findings.map((f) => f.ruleVersion)).toEqual(['acme.en@2.0.0#2']);

    // roll back: the next call runs version 1 again
    expect((await send('POST', '/v1/rule-packs/acme.en/rollback', { version: 1 })).status).toBe(400);
    const rolled = await send('POST', '/v1/rule-packs/acme.en/rollback', { version: 1, note: 'sky high caught quotes of the customer' });
    expect(rolled.body).toMatchObject({ version: 1, diff: { changed: [{ ruleId: 'acme.moon' }] } });
    const after = await callWith('rp-acme', 'Returns will be sky high, to the moon.');
    expect(after.findings.map((f) => f.ruleVersion)).toEqual(['acme.en@1.0.0#1']);
    expect((await send('GET', '/v1/rule-packs/acme.en/diff?from=1&to=2')).body).toMatchObject({ changed: [{ ruleId: 'acme.moon', fields: ['match', 'version'] }] });

    const audit = await send('GET', '/v1/audit?entityType=rule_pack&entityId=acme.en&limit=50');
    const entries = (audit.body.items as { action: string; actor: string; details: Json }[]).reverse();
    expect(entries.map((e) => e.action)).toEqual(['rule_pack.created', 'rule_pack.published', 'rule_pack.draft_saved', 'rule_pack.published', 'rule_pack.rolled_back']);
    expect(entries[3]).toMatchObject({ actor: expect.stringContaining('admin@earshot.test'), details: { note: 'sky high too', version: 2, previousLive: 1, changed: [{ ruleId: 'acme.moon' }] } });
    expect(entries[4]?.details).toMatchObject({ note: 'sky high caught quotes of the customer', version: 1, from: 2 });
    const campaignAudit = await send('GET', '/v1/audit?entityType=campaign&limit=5');
    expect((campaignAudit.body.items as { action: string; details: Json }[])[0]).toMatchObject({ action: 'campaign.rule_packs_set', details: { packs: ['acme.en'], before: null } });
  }, 240_000);

  it('forks a shipped pack (its lookaround regexes stay trusted) and refuses a campaign that would run two packs with the same rule ids', async () => {
    const fork = await send('POST', '/v1/rule-packs/financial-telesales.en/fork', { key: 'fts-acme.en' });
    expect(fork.status).toBe(201);
    expect(fork.body).toMatchObject({ key: 'fts-acme.en', forkedFrom: 'financial-telesales.en@1', system: false });
    const pack = (await send('GET', '/v1/rule-packs/fts-acme.en')).body.draft as { rules: Json[] };
    expect(pack.rules.length).toBeGreaterThan(10);
    // an edited regex is no longer the shipped one: it must run on RE2
    const edited = { ...pack, rules: pack.rules.map((r, i) => (i === 0 ? { ...r, match: { regex: '(?<!not )promise' } } : r)) };
    const refused = await send('PUT', '/v1/rule-packs/fts-acme.en/draft', { pack: edited });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toContain('body.pack.rules.0.match.regex');
    expect((await send('POST', '/v1/rule-packs/fts-acme.en/draft/backtest', { filter: { limit: 5 } })).status).toBe(200);
    expect((await send('POST', '/v1/rule-packs/fts-acme.en/publish', { note: 'our copy' })).body).toMatchObject({ version: 1 });
    const both = await send('PUT', '/v1/campaigns/rp-acme/rule-packs', { packs: ['financial-telesales.en', 'fts-acme.en'] });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.message)).toMatch(/body\.packs: .*is used by another pack/);
    const unknown = await send('PUT', '/v1/campaigns/rp-acme/rule-packs', { packs: ['acme.en', 'nope'] });
    expect(JSON.stringify(unknown.body.message)).toContain('body.packs.1: no rule pack nope');
    const exported = await authFetch(`${baseUrl}/v1/rule-packs/fts-acme.en/export?format=yaml`);
    expect(exported.headers.get('content-type')).toContain('yaml');
    expect(await exported.text()).toMatch(/^id: fts-acme\.en\nversion: 1\.0\.0\n/);
  }, 120_000);

  it('runs a large backtest in the background with progress, and stops one that is cancelled', async () => {
    // 600 stored calls of the campaign: copies of one analysed call, written behind the API's back
    const source = await callWith('rp-acme', 'Straight to the moon.');
    await withDatabase(environment.databaseUrl, async (db) => {
      await db.query(
        `INSERT INTO "Call" (id, "agentId", "campaignId", "customerPhone", direction, "startedAt", "timeZone", "durationSeconds", disposition,
           "channelLayout", language, "audioKey", "audioSha256", "audioBytes", "audioContentType", status, "createdAt", "updatedAt")
         SELECT gen_random_uuid(), "agentId", "campaignId", "customerPhone", direction, "startedAt", "timeZone", "durationSeconds", disposition,
           "channelLayout", language, "audioKey", md5(random()::text || g), "audioBytes", "audioContentType", 'completed', now(), now()
         FROM "Call", generate_series(1, 600) g WHERE id = $1`,
        [source.id],
      );
      await db.query(
        `INSERT INTO "Transcript" ("callId", provider, "rolesSource", segments, "createdAt", "updatedAt")
         SELECT c.id, t.provider, t."rolesSource", t.segments, now(), now() FROM "Call" c CROSS JOIN (SELECT * FROM "Transcript" WHERE "callId" = $1) t
         WHERE NOT EXISTS (SELECT 1 FROM "Transcript" x WHERE x."callId" = c.id)`,
        [source.id],
      );
    });
    const draft = { pack: { language: 'en', rules: [rule('acme.moon', ['to the moon', 'straight'], { version: 3 })] } };
    expect((await send('PUT', '/v1/rule-packs/acme.en/draft', draft)).status).toBe(200);
    const poll = async (id: string) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const run = (await send('GET', `/v1/rule-backtests/${id}`)).body;
        if (run.status !== 'running' || Date.now() > deadline) return run;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const cancelled = await send('POST', '/v1/rule-packs/acme.en/draft/backtest', { filter: { campaign: 'rp-acme', limit: 5000 } });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ status: 'running', progress: { limit: 5000 } });
    expect((await send('POST', `/v1/rule-backtests/${cancelled.body.id as string}/cancel`)).status).toBe(202);
    const stopped = await poll(cancelled.body.id as string);
    expect(stopped).toMatchObject({ status: 'cancelled', result: { stoppedEarly: true, recorded: false } });
    expect((stopped.progress as { processed: number }).processed).toBeLessThan(600);
    expect((await send('POST', `/v1/rule-backtests/${cancelled.body.id as string}/cancel`)).status).toBe(409);

    const started = Date.now();
    const run = await send('POST', '/v1/rule-packs/acme.en/draft/backtest', { filter: { campaign: 'rp-acme', limit: 5000 } });
    const done = await poll(run.body.id as string);
    const seconds = (Date.now() - started) / 1000;
    const result = done.result as { calls: number; recorded: boolean; comparedWith: { added: number } };
    expect(done.status).toBe('completed');
    expect(result.calls).toBeGreaterThan(600);
    expect(result.recorded).toBe(true);
    expect(result.comparedWith.added).toBeGreaterThanOrEqual(600);
    console.log(`background backtest: ${result.calls} calls in ${seconds.toFixed(1)} s (${Math.round(result.calls / seconds)} calls/s)`);
    expect((await send('GET', '/v1/rule-packs/acme.en')).body).toMatchObject({ draftBacktested: true });
  }, 180_000);

  it('lets compliance author but not agents or trainers', async () => {
    const trainer = await createUser(baseUrl, { email: 'trainer@rp.test', role: 'trainer' });
    expect((await send('GET', '/v1/rule-packs', undefined, trainer)).status).toBe(200);
    expect((await send('POST', '/v1/rule-packs', { key: 't.en', pack: {} }, trainer)).status).toBe(403);
    const compliance = await createUser(baseUrl, { email: 'compliance@rp.test', role: 'compliance' });
    const created = await send('POST', '/v1/rule-packs', { key: 'c.en', pack: { language: 'en', rules: [rule('c.one', ['abc'])] } }, compliance);
    expect(created.status).toBe(201);
  });
});
