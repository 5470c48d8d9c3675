import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { CHAT_COMPLETIONS, type ChatReply, type ChatRequest, type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server.js';
import { type SampleCall, type TestEnvironment, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall, authFetch } from '../support/earshot-harness.js';

type Json = Record<string, unknown>;

interface LlmChecksView {
  status: string;
  reason: string | null;
  model: string | null;
  questionsAsked: number;
  cacheHits: number;
  discardedAnswers: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  redactions: number;
  answers: { questionId: string; answer: string | null; verified: boolean; cached: boolean; finding: boolean; reason?: string }[];
}

interface DetailsView {
  status: string;
  findings: { source: string; ruleId: string; ruleVersion: string; family: string | null; evidence: Json | null }[];
  evaluation: { criteria: { criterionId: string; result: string; observed?: unknown }[] } | null;
  llmChecks: LlmChecksView | null;
}

const CARD = '4111 1111 1111 1111';
const LLM_KEYS = ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL', 'LLM_PRICE_INPUT_PER_MTOK', 'LLM_PRICE_OUTPUT_PER_MTOK'];

/**
 * The "model": the returns question is answered yes with a quote that is in the transcript; the risk question is
 * answered no with a quote the agent never said (a hallucination the pipeline must discard).
 */
function answer(request: ChatRequest): ChatReply {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const line = user.split('\n').find((l) => l.includes('guaranteed returns')) ?? '';
  const segmentId = Number(/^\[(\d+)\]/.exec(line)?.[1] ?? -1);
  if (/promise or guarantee/.test(user)) {
    return { content: { answer: 'yes', quotes: [{ segmentId, quote: 'guaranteed returns of twelve percent' }], rationale: 'the agent guaranteed twelve percent' } };
  }
  return { content: { answer: 'no', quotes: [{ segmentId, quote: 'there is no risk whatsoever, I promise' }], rationale: 'no risk warning' } };
}

/** The sample with its own audio bytes (the API dedupes by hash) and a card number read out by the customer. */
function withCard(sample: SampleCall, externalId: string): SampleCall {
  const transcript = JSON.parse(sample.transcript.toString('utf8')) as { segments: { speaker: string; text: string }[] };
  const customer = transcript.segments.find((s) => s.speaker === 'customer');
  if (customer) customer.text = `${customer.text} My card number is ${CARD}.`;
  return {
    ...sample,
    audio: Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]),
    transcript: Buffer.from(JSON.stringify(transcript)),
    metadata: { ...sample.metadata, externalId },
  };
}

describe('LLM checks: structured answers, quote verification, cache, redaction (real Postgres, Redis, s3rver; fake OpenAI)', () => {
  let environment: TestEnvironment;
  let fake: FakeOpenAi;
  let app: INestApplication | undefined;
  let baseUrl: string;
  let sample: SampleCall;

  const upload = async (call: SampleCall): Promise<DetailsView> => {
    const created = await uploadCall(baseUrl, uploadForm({ audio: call.audio, metadata: call.metadata, transcript: call.transcript }));
    expect(created.status).toBe(201);
    const done = await waitForCall(baseUrl, created.body.id as string, 45_000);
    expect(done.failure).toBeNull();
    expect(done.status).toBe('completed');
    return done as unknown as DetailsView;
  };
  const chatRequests = () => fake.requests.filter((r) => `${r.method} ${r.path}` === CHAT_COMPLETIONS);

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: 'sk-llm-test', chat: answer, chatModels: ['gpt-qa-test'] });
    environment = await createTestEnvironment({
      LLM_BASE_URL: fake.baseURL,
      LLM_API_KEY: 'sk-llm-test',
      LLM_MODEL: 'gpt-qa-test',
      LLM_MAX_RETRIES: '0',
      LLM_PRICE_INPUT_PER_MTOK: '0.15',
      LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
    });
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-guaranteed-returns');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    for (const key of LLM_KEYS) delete process.env[key];
    await environment?.dispose();
    await fake?.stop();
  }, 30_000);

  it('turns a verified violation into an llm finding and discards (and counts) an answer with a fabricated quote', async () => {
    const call = await upload(withCard(sample, 'llm-001'));
    const llm = call.findings.filter((f) => f.source === 'llm');
    expect(llm).toEqual([
      expect.objectContaining({
        ruleId: 'llm_returns_promised',
        ruleVersion: '1',
        family: 'guaranteed_returns',
        evidence: expect.objectContaining({ text: 'guaranteed returns of twelve percent', segmentIndex: 2, startSeconds: 7 }),
      }),
    ]);
    // the rules' own findings are still there beside it
    expect(call.findings.some((f) => f.source === 'rule' && f.family === 'guaranteed_returns')).toBe(true);
    expect(call.llmChecks).toMatchObject({ status: 'completed', model: 'gpt-qa-test', questionsAsked: 2, cacheHits: 0, discardedAnswers: 1, redactions: 1 });
    const risk = call.llmChecks?.answers.find((a) => a.questionId === 'llm_risk_explained');
    expect(risk).toMatchObject({ answer: 'no', verified: false, finding: false, reason: 'quote 0: not found in segment 2' });
    expect(call.findings.some((f) => f.ruleId === 'llm_risk_explained')).toBe(false);

    // tokens as the endpoint reported them, and the cost at the configured prices
    const usage = chatRequests().length;
    expect(usage).toBe(2);
    expect(call.llmChecks?.inputTokens).toBeGreaterThan(0);
    expect(call.llmChecks?.outputTokens).toBeGreaterThan(0);
    const { inputTokens = 0, outputTokens = 0 } = call.llmChecks ?? {};
    expect(call.llmChecks?.costUsd).toBeCloseTo((inputTokens * 0.15 + outputTokens * 0.6) / 1e6, 12);
  }, 60_000);

  it('sends structured-output requests with the card number redacted', () => {
    for (const request of chatRequests()) {
      const body = request.json as ChatRequest;
      expect(body.model).toBe('gpt-qa-test');
      expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'scorecard_answer', strict: true } });
      const text = JSON.stringify(body.messages);
      expect(text).not.toContain(CARD);
      expect(text).not.toContain(CARD.replaceAll(' ', ''));
      expect(text).toContain('My card number is [CARD].');
    }
  });

  it('answers a second call with the same transcript from the cache, and the answers reach its scorecard', async () => {
    const card = {
      name: 'llm-card',
      criteria: [
        { id: 'no_promise', label: 'No returns promised (LLM)', weight: 1, critical: false, source: { kind: 'llm', questionId: 'llm_returns_promised', passWhen: 'no' } },
        { id: 'risks', label: 'Risks explained (LLM)', weight: 1, critical: false, source: { kind: 'llm', questionId: 'llm_risk_explained' } },
        { id: 'no_abuse', label: 'No abuse', weight: 1, critical: false, source: { kind: 'finding_absent', families: ['abusive_language'] } },
      ],
    };
    const posted = await authFetch(`${baseUrl}/v1/campaigns/fund-q4/scorecards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(card) });
    expect(posted.status).toBe(201);
    const before = chatRequests().length;

    const call = await upload(withCard(sample, 'llm-002'));
    expect(chatRequests().length).toBe(before);
    expect(call.llmChecks).toMatchObject({ status: 'completed', questionsAsked: 2, cacheHits: 2, discardedAnswers: 1, inputTokens: 0, outputTokens: 0 });
    expect(call.findings.filter((f) => f.source === 'llm').map((f) => f.ruleId)).toEqual(['llm_returns_promised']);
    const criteria = Object.fromEntries((call.evaluation?.criteria ?? []).map((c) => [c.criterionId, c]));
    expect(criteria['no_promise']).toMatchObject({ result: 'fail', observed: 'yes' });
    // the discarded answer counts as no answer
    expect(criteria['risks']).toMatchObject({ result: 'na' });
    expect(criteria['no_abuse']).toMatchObject({ result: 'pass' });
  }, 60_000);

  it('with no LLM endpoint configured, completes the call and records that LLM checks were skipped', async () => {
    await app?.close();
    app = undefined;
    for (const key of LLM_KEYS) delete process.env[key];
    const env = Object.fromEntries(Object.entries(environment.env).filter(([key]) => !LLM_KEYS.includes(key)));
    ({ app, baseUrl } = await startApi(env));
    const before = fake.requests.length;

    const call = await upload(withCard(sample, 'llm-003'));
    expect(call.llmChecks).toMatchObject({ status: 'skipped', questionsAsked: 0, inputTokens: 0 });
    expect(call.llmChecks?.reason).toMatch(/LLM_API_KEY/);
    expect(call.findings.some((f) => f.source === 'llm')).toBe(false);
    expect(call.findings.some((f) => f.source === 'rule')).toBe(true);
    expect(fake.requests.length).toBe(before);
  }, 60_000);
});
