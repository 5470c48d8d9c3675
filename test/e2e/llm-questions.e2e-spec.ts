import type { INestApplication } from '@nestjs/common';
import { CHAT_COMPLETIONS, type ChatReply, type ChatRequest, type FakeOpenAi, openAiError, startFakeOpenAi } from '../support/fake-openai-server.js';
import { type SampleCall, type TestEnvironment, authFetch, createTestEnvironment, createUser, loadSample, startApi, uploadCall, uploadForm, waitForCall, withDatabase } from '../support/earshot-harness.js';

type Json = Record<string, unknown>;

interface Answer {
  questionId: string;
  promptVersion: string;
  answer: string | null;
  verified: boolean;
  finding: boolean;
  reason?: string;
  quotes?: { segmentIndex: number; text: string }[];
}
interface LlmChecks {
  status: string;
  reason: string | null;
  questionsAsked: number;
  discardedAnswers: number;
  costUsd: number | null;
  answers: Answer[];
}

const METRICS_TOKEN = 'metrics-token-for-the-questions-test';
const CAMPAIGN = 'q-acme';
const KEY = 'acme_name_given';

const question = (wording: string, extra: Json = {}) => ({
  text: { en: wording },
  criteria: { pass: 'the agent gives their first and last name', fail: 'no name, or a first name only', notApplicable: 'the customer hangs up before the agent speaks' },
  violationWhen: 'no',
  family: 'agent_identification',
  severity: 'minor',
  dimension: 'experience',
  description: 'LLM: the agent did not give their name',
  criterionId: 'identification',
  trigger: { kind: 'always' },
  ...extra,
});

/**
 * The "model": the name question is answered from its wording (v1 says "any name": yes; v2 says "full name": no), quoting
 * the greeting; the shipped risk question is answered with a quote nobody said, which the pipeline must discard.
 */
function answer(request: ChatRequest): ChatReply {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const greeting = Number(/^\[(\d+)\] agent: Hello, my name is Sam/m.exec(user)?.[1] ?? 0);
  if (/any name/.test(user)) return { content: { answer: 'yes', quotes: [{ segmentId: greeting, quote: 'my name is Sam' }], rationale: 'gave a name' } };
  if (/full name/.test(user)) return { content: { answer: 'no', quotes: [{ segmentId: greeting, quote: 'my name is Sam' }], rationale: 'first name only' } };
  return { content: { answer: 'no', quotes: [{ segmentId: 0, quote: 'there is no risk whatsoever, I promise' }], rationale: 'no risk warning' } };
}

describe('LLM questions as data: draft, test on text, publish, roll back; per-campaign enablement and cost ceiling', () => {
  let environment: TestEnvironment;
  let fake: FakeOpenAi;
  let app: INestApplication;
  let baseUrl: string;
  let sample: SampleCall;
  let pad = 0;
  // requests the fake holds at once: LLM_CONCURRENCY=1 must keep it at one although each call asks two questions together
  let inFlight = 0;
  let maxInFlight = 0;
  let chatRequests = 0;

  const send = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await authFetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };

  /** Uploads the compliant sample (its own bytes) in the campaign; returns the finished call's LLM checks and findings. */
  const call = async () => {
    pad += 2;
    const upload = await uploadCall(
      baseUrl,
      uploadForm({
        audio: Buffer.concat([sample.audio, Buffer.alloc(pad)]),
        metadata: { ...sample.metadata, externalId: `q-${pad}`, campaignExternalId: CAMPAIGN, customerPhone: `+1415556${String(1000 + pad)}` },
        transcript: sample.transcript,
      }),
    );
    expect(upload.status).toBe(201);
    const done = (await waitForCall(baseUrl, upload.body.id as string, 60_000)) as unknown as {
      status: string;
      llmChecks: LlmChecks;
      findings: { source: string; ruleId: string; ruleVersion: string }[];
      evaluation: { criteria: { criterionId: string; result: string; observed?: unknown }[] } | null;
    };
    expect(done.status).toBe('completed');
    return done;
  };
  const answerTo = (checks: LlmChecks, key: string) => checks.answers.find((a) => a.questionId === key);

  beforeAll(async () => {
    const slowAnswer = async (request: ChatRequest): Promise<ChatReply> => {
      inFlight++;
      chatRequests++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 200));
      inFlight--;
      return answer(request);
    };
    fake = await startFakeOpenAi({ apiKey: 'sk-questions', chat: slowAnswer, chatModels: ['gpt-questions'] });
    environment = await createTestEnvironment({
      LLM_BASE_URL: fake.baseURL,
      LLM_API_KEY: 'sk-questions',
      LLM_MODEL: 'gpt-questions',
      LLM_MAX_RETRIES: '0',
      LLM_CONCURRENCY: '1',
      LLM_PRICE_INPUT_PER_MTOK: '0.15',
      LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
      METRICS_TOKEN,
    });
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-compliant');
    expect((await send('PUT', `/v1/campaigns/${CAMPAIGN}`, { name: 'Acme questions' })).status).toBe(201);
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await fake?.stop();
  }, 30_000);

  it('seeds the shipped questions as read-only system questions a campaign lists, enabled', async () => {
    const list = await send('GET', `/v1/campaigns/${CAMPAIGN}/llm-questions`);
    expect(list.status).toBe(200);
    const items = list.body.items as { key: string; system: boolean; liveVersion: number; enabled: boolean }[];
    expect(items.map((q) => [q.key, q.system, q.liveVersion, q.enabled])).toEqual([
      ['llm_returns_promised', true, 1, true],
      ['llm_risk_explained', true, 1, true],
    ]);
    const edit = await send('PUT', '/v1/llm-questions/llm_risk_explained/draft', { question: question('x') });
    expect(edit.status).toBe(409);
    expect(edit.body.message).toEqual([expect.stringMatching(/read-only; fork it/)]);
  });

  it('refuses bad drafts naming each field', async () => {
    const bad = await send('POST', `/v1/campaigns/${CAMPAIGN}/llm-questions`, {
      key: KEY,
      question: { ...question('Did the agent give any name?'), text: {}, criteria: { pass: '' }, severity: 'huge', trigger: { kind: 'on_candidates', families: [] } },
    });
    expect(bad.status).toBe(400);
    const messages = bad.body.message as string[];
    for (const field of ['body.question.text:', 'body.question.criteria.pass:', 'body.question.criteria.fail:', 'body.question.severity:', 'body.question.trigger:']) {
      expect(messages.some((m) => m.startsWith(field))).toBe(true);
    }
    expect((await send('POST', `/v1/campaigns/${CAMPAIGN}/llm-questions`, { key: 'has spaces', question: question('q') })).body.message).toEqual(['body.key: 1-100 letters, digits, _ . - only']);
    const ceiling = await send('PUT', `/v1/campaigns/${CAMPAIGN}/llm-settings`, { disabledQuestions: ['nope'], dailyCostCeilingUsd: -1 });
    expect(ceiling.status).toBe(400);
    expect(ceiling.body.message).toEqual([expect.stringMatching(/^body\.dailyCostCeilingUsd: /)]);
    const unknown = await send('PUT', `/v1/campaigns/${CAMPAIGN}/llm-settings`, { disabledQuestions: ['nope'], dailyCostCeilingUsd: null });
    expect(unknown.body.message).toEqual(['body.disabledQuestions.0: no question nope in this campaign']);
  });

  it('only authors write questions: a trainer is refused', async () => {
    const trainer = await createUser(baseUrl, { email: 'trainer@q.test', role: 'trainer' });
    expect((await send('POST', `/v1/campaigns/${CAMPAIGN}/llm-questions`, { key: 'x', question: question('q') }, trainer)).status).toBe(403);
  });

  it('draft → test on text → publish: the next call is answered by the new version, carrying its version and quotes', async () => {
    const created = await send('POST', `/v1/campaigns/${CAMPAIGN}/llm-questions`, { key: KEY, question: question('Did the agent give any name?') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: KEY, system: false, liveVersion: null, draftTested: false });

    // publish needs a test of the draft as it stands, and a note
    expect((await send('POST', `/v1/llm-questions/${KEY}/publish`, { note: 'first' })).status).toBe(409);
    const tested = await send('POST', `/v1/llm-questions/${KEY}/test`, { text: 'agent: Hello, my name is Sam from Northwind.\ncustomer: Hi.' });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ version: 'draft', answer: { questionId: KEY, answer: 'yes', verified: true, finding: false, quotes: [{ segmentIndex: 0, text: 'my name is Sam' }] } });
    expect(tested.body.inputTokens).toBeGreaterThan(0);
    expect((await send('POST', `/v1/llm-questions/${KEY}/publish`, { note: '  ' })).body.message).toEqual(['body.note: must say what changed and why']);
    const published = await send('POST', `/v1/llm-questions/${KEY}/publish`, { note: 'ask whether the agent gave a name' });
    expect(published.status).toBe(200);
    expect(published.body.version).toBe(1);

    const first = await call();
    expect(answerTo(first.llmChecks, KEY)).toMatchObject({ promptVersion: '1', answer: 'yes', verified: true, finding: false, quotes: [{ segmentIndex: 0, text: 'my name is Sam' }] });
    // what the model was asked carried the criteria
    const asked = fake.requests.map((r) => JSON.stringify(r.json)).filter((b) => b.includes('any name'));
    expect(asked.some((b) => b.includes('Answer no when: no name, or a first name only'))).toBe(true);

    const draft = await send('PUT', `/v1/llm-questions/${KEY}/draft`, { question: question('Did the agent give their full name?', { severity: 'major' }) });
    expect(draft.status).toBe(200);
    expect(draft.body.draftDiff).toEqual([
      { field: 'severity', before: 'minor', after: 'major' },
      { field: 'text.en', before: 'Did the agent give any name?', after: 'Did the agent give their full name?' },
    ]);
    expect((await send('POST', `/v1/llm-questions/${KEY}/test`, { text: 'agent: Hello, my name is Sam.' })).body).toMatchObject({ answer: { answer: 'no', finding: true } });
    expect((await send('POST', `/v1/llm-questions/${KEY}/publish`, { note: 'full name, per the May audit' })).body).toMatchObject({ version: 2 });

    const second = await call();
    expect(answerTo(second.llmChecks, KEY)).toMatchObject({ promptVersion: '2', answer: 'no', verified: true, finding: true });
    expect(second.findings.filter((f) => f.source === 'llm' && f.ruleId === KEY)).toEqual([expect.objectContaining({ ruleVersion: '2' })]);

    const history = await send('GET', `/v1/llm-questions/${KEY}`);
    expect((history.body.versions as { number: number; note: string }[]).map((v) => [v.number, v.note])).toEqual([
      [2, 'full name, per the May audit'],
      [1, 'ask whether the agent gave a name'],
    ]);
    const v1 = await send('GET', `/v1/llm-questions/${KEY}/versions/1`);
    expect(v1.body).toMatchObject({ number: 1, content: { text: { en: 'Did the agent give any name?' } } });
  }, 180_000);

  it('rolls back with a note: the next call is answered by the earlier version again, and feeds its scorecard criterion', async () => {
    const itemOf = async () =>
      ((await send('GET', `/v1/campaigns/${CAMPAIGN}/llm-questions`)).body.items as { key: string; criterion: unknown }[]).find((q) => q.key === KEY);
    expect((await itemOf())?.criterion).toEqual({ id: 'identification', status: 'missing', scorecard: null });
    const card = {
      name: 'acme-card',
      criteria: [
        { id: 'identification', label: 'Full name given (LLM)', weight: 1, critical: false, source: { kind: 'llm', questionId: KEY, passWhen: 'yes' } },
        { id: 'no_abuse', label: 'No abuse', weight: 1, critical: false, source: { kind: 'finding_absent', families: ['abusive_language'] } },
      ],
    };
    expect((await send('POST', `/v1/campaigns/${CAMPAIGN}/scorecards`, card)).status).toBe(201);
    expect((await itemOf())?.criterion).toEqual({ id: 'identification', status: 'linked', scorecard: 'acme-card v1' });

    expect((await send('POST', `/v1/llm-questions/${KEY}/rollback`, { version: 2, note: 'no-op' })).status).toBe(409);
    const rolled = await send('POST', `/v1/llm-questions/${KEY}/rollback`, { version: 1, note: 'too many false fails' });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ version: 1, changes: expect.arrayContaining([{ field: 'text.en', before: 'Did the agent give their full name?', after: 'Did the agent give any name?' }]) });
    const next = await call();
    expect(answerTo(next.llmChecks, KEY)).toMatchObject({ promptVersion: '1', answer: 'yes', finding: false });
    expect(next.findings.some((f) => f.ruleId === KEY)).toBe(false);
    expect(next.evaluation?.criteria.find((c) => c.criterionId === 'identification')).toMatchObject({ result: 'pass', observed: 'yes' });
  }, 90_000);

  it('published versions are immutable in the database', async () => {
    await withDatabase(environment.databaseUrl, async (db) => {
      await expect(db.query(`UPDATE "LlmQuestionVersion" SET note = 'edited' WHERE number = 1`)).rejects.toThrow(/immutable/);
      await expect(db.query(`DELETE FROM "LlmQuestionVersion"`)).rejects.toThrow(/immutable/);
    });
  });

  it('counts answers whose quote is not in the transcript, per question: on the call, in the list and as a metric', async () => {
    const list = await send('GET', `/v1/campaigns/${CAMPAIGN}/llm-questions`);
    const risk = (list.body.items as { key: string; answers30d: number; discarded30d: number }[]).find((q) => q.key === 'llm_risk_explained');
    // three calls so far, each with the risk question's fabricated quote discarded
    expect(risk).toMatchObject({ answers30d: 3, discarded30d: 3 });
    const mine = (list.body.items as { key: string; answers30d: number; discarded30d: number; enabled: boolean }[]).find((q) => q.key === KEY);
    expect(mine).toMatchObject({ answers30d: 3, discarded30d: 0, enabled: true });
    const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/earshot_llm_answers_discarded_total\{question="llm_risk_explained"\} 3/);
    expect(metrics).not.toMatch(/earshot_llm_answers_discarded_total\{question="acme_name_given"\}/);
  });

  it('asks at most LLM_CONCURRENCY (1) questions at once per worker, though a call asks its questions together', () => {
    // two tests on text, then the first call asked its two questions together with nothing cached (later calls of the
    // same transcript reuse cached replies)
    expect(chatRequests).toBeGreaterThanOrEqual(4);
    expect(maxInFlight).toBe(1);
  });

  it('a campaign that switches off a system question gets no answer from it', async () => {
    const set = await send('PUT', `/v1/campaigns/${CAMPAIGN}/llm-settings`, { disabledQuestions: ['llm_risk_explained'], dailyCostCeilingUsd: null });
    expect(set.status).toBe(200);
    const next = await call();
    expect(answerTo(next.llmChecks, 'llm_risk_explained')).toBeUndefined();
    expect(answerTo(next.llmChecks, KEY)).toMatchObject({ promptVersion: '1' });
    expect(next.llmChecks).toMatchObject({ status: 'completed', questionsAsked: 1, discardedAnswers: 0 });
    const list = await send('GET', `/v1/campaigns/${CAMPAIGN}/llm-questions`);
    expect((list.body.items as { key: string; enabled: boolean }[]).find((q) => q.key === 'llm_risk_explained')?.enabled).toBe(false);
  }, 90_000);

  it("skips calls past the campaign's daily cost ceiling, with the reason on the call and counted", async () => {
    const list = await send('GET', `/v1/campaigns/${CAMPAIGN}/llm-questions`);
    const spent = list.body.spentTodayUsd as number;
    expect(spent).toBeGreaterThan(0);
    expect((await send('PUT', `/v1/campaigns/${CAMPAIGN}/llm-settings`, { disabledQuestions: ['llm_risk_explained'], dailyCostCeilingUsd: spent / 2 })).status).toBe(200);
    const before = fake.requests.length;
    const skipped = await call();
    expect(skipped.llmChecks).toMatchObject({ status: 'skipped', questionsAsked: 0, answers: [] });
    expect(skipped.llmChecks.reason).toMatch(/^daily LLM cost ceiling reached for this campaign: \$0\.\d{4} spent today \(UTC\) of \$0\.\d{4}$/);
    expect(fake.requests.length).toBe(before);
    const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/earshot_llm_checks_skipped_total\{reason="cost_ceiling"\} 1/);
    // a raised ceiling lets the next call through
    expect((await send('PUT', `/v1/campaigns/${CAMPAIGN}/llm-settings`, { disabledQuestions: [], dailyCostCeilingUsd: spent * 10 })).status).toBe(200);
    expect((await call()).llmChecks.status).toBe('completed');
  }, 120_000);

  it('a test on text the endpoint refuses answers 503 naming the LLM, and does not count as a test of the draft', async () => {
    expect((await send('PUT', `/v1/llm-questions/${KEY}/draft`, { question: question('Did the agent give any name at all?') })).status).toBe(200);
    const refusal = openAiError(429, 'Rate limit reached for gpt-questions in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1.', 'requests', null, 'rate_limit_exceeded');
    fake.script({ route: CHAT_COMPLETIONS, status: refusal.status, body: refusal.body, headers: { 'retry-after': '1' } });
    const failed = await send('POST', `/v1/llm-questions/${KEY}/test`, { text: 'agent: Hello, my name is Sam.' });
    expect(failed.status).toBe(503);
    expect(failed.body.message).toEqual([expect.stringMatching(/^llm: LLM request failed with 429/)]);
    expect((await send('GET', `/v1/llm-questions/${KEY}`)).body.draftTested).toBe(false);
    expect((await send('POST', `/v1/llm-questions/${KEY}/test`, { text: '' })).body.message).toEqual(['body.text: must be longer than or equal to 1 characters']);
  });

  it('forks a system question into an editable campaign question', async () => {
    const fork = await send('POST', '/v1/llm-questions/llm_returns_promised/fork', { key: 'acme_returns_promised', campaign: CAMPAIGN });
    expect(fork.status).toBe(201);
    expect(fork.body).toMatchObject({ key: 'acme_returns_promised', system: false, forkedFrom: 'llm_returns_promised@1', liveVersion: null, draft: { trigger: { kind: 'on_candidates', families: ['guaranteed_returns', 'implied_guarantee'] } } });
    expect((await send('POST', '/v1/llm-questions/llm_returns_promised/fork', { key: 'acme_returns_promised', campaign: CAMPAIGN })).status).toBe(409);
  });

  it('audits every change with who, the note and the field diff', async () => {
    const response = await send('GET', `/v1/audit?entityType=llm_question&entityId=${KEY}&limit=50`);
    expect(response.status).toBe(200);
    const entries = (response.body.items as { action: string; actor: string; details: Json }[]).slice().reverse();
    expect(entries.map((e) => e.action)).toEqual([
      'llm_question.created',
      'llm_question.draft_tested',
      'llm_question.published',
      'llm_question.draft_saved',
      'llm_question.draft_tested',
      'llm_question.published',
      'llm_question.rolled_back',
      'llm_question.draft_saved',
    ]);
    const published = entries.filter((e) => e.action === 'llm_question.published');
    expect(published[1]?.details).toMatchObject({ version: 2, previousLive: 1, note: 'full name, per the May audit', changes: expect.arrayContaining([{ field: 'severity', before: 'minor', after: 'major' }]) });
    expect(entries.find((e) => e.action === 'llm_question.rolled_back')?.details).toMatchObject({ version: 1, from: 2, note: 'too many false fails' });
    const settings = await send('GET', `/v1/audit?action=campaign.llm_settings_set&limit=50`);
    expect((settings.body.items as unknown[]).length).toBe(3);
    const fork = await send('GET', '/v1/audit?entityType=llm_question&entityId=acme_returns_promised');
    expect((fork.body.items as { action: string }[]).map((e) => e.action)).toEqual(['llm_question.forked']);
  });
});
