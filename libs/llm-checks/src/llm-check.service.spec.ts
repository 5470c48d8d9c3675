import { loadConfig } from '#libs/config';
import type { CachedLlmReply, CallResultsRepository, LlmCacheKey, LlmCheckRepository, LlmCheckRunRecord } from '#libs/db';
import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import { type LlmQuestion, SHIPPED_LLM_QUESTIONS } from './llm-question.js';
import type { LlmClient, LlmCompletion, LlmCompletionRequest } from './llm-client.js';
import { LlmCheckService } from './llm-check.service.js';
import { LlmRequestError } from './llm-request.error.js';

const transcript: NormalisedTranscript = {
  provider: 'sidecar',
  language: 'zh',
  rolesSource: 'sidecar',
  segments: [
    { speaker: 'agent', start: 0, end: 3, text: '这款产品保本保收益，绝对不会亏。' },
    { speaker: 'customer', start: 3, end: 6, text: '我的身份证号是11010519491231002X。' },
  ],
};

class ScriptedClient implements LlmClient {
  readonly model = 'm1';
  readonly requests: LlmCompletionRequest[] = [];
  constructor(private readonly reply: (req: LlmCompletionRequest) => LlmCompletion) {}
  complete(request: LlmCompletionRequest): Promise<LlmCompletion> {
    this.requests.push(request);
    return Promise.resolve(this.reply(request));
  }
}

/** In-memory stand-ins for the two repositories the service writes to. */
function stores() {
  const cache = new Map<string, CachedLlmReply>();
  const runs = new Map<string, LlmCheckRunRecord>();
  const findings = new Map<string, FindingDraft[]>();
  const k = (key: LlmCacheKey) => JSON.stringify(key);
  const llm = {
    findCached: (key: LlmCacheKey) => Promise.resolve(cache.get(k(key)) ?? null),
    saveCached: (key: LlmCacheKey, reply: CachedLlmReply) => Promise.resolve(void cache.set(k(key), reply)),
    saveRun: (callId: string, run: LlmCheckRunRecord) => Promise.resolve(void runs.set(callId, run)),
  };
  const results = {
    replaceFindings: (callId: string, _sources: string[], drafts: FindingDraft[]) => Promise.resolve(void findings.set(callId, drafts)),
  };
  return { cache, runs, findings, llm: llm as unknown as LlmCheckRepository, results: results as unknown as CallResultsRepository };
}

const config = loadConfig({ LLM_API_KEY: 'sk', LLM_MODEL: 'm1', LLM_CONCURRENCY: '1' });
const source = (questions: readonly LlmQuestion[] = SHIPPED_LLM_QUESTIONS, dailyCostCeilingUsd: number | null = null, spent = 0) => ({
  forCampaign: () => Promise.resolve({ questions: [...questions], dailyCostCeilingUsd }),
  spentToday: () => Promise.resolve(spent),
});
const service = (client: LlmClient | null, s: ReturnType<typeof stores>, questions = source()) => new LlmCheckService(config, client, questions, s.results, s.llm);
const reply = (content: unknown): LlmCompletion => ({ content: JSON.stringify(content), refusal: null, inputTokens: 100, outputTokens: 20 });

describe('LlmCheckService', () => {
  it('records skipped, asks nothing and leaves findings alone when no endpoint is configured', async () => {
    const s = stores();
    const run = await service(null, s).check('c1', transcript, new Set(['guaranteed_returns']));
    expect(run).toMatchObject({ status: 'skipped', questionsAsked: 0 });
    expect(s.runs.get('c1')?.status).toBe('skipped');
    expect(s.findings.has('c1')).toBe(false);
  });

  it('asks in Chinese over the redacted transcript, and only the always-question without candidates', async () => {
    const s = stores();
    const client = new ScriptedClient(() => reply({ answer: 'no', quotes: [{ segmentId: 0, quote: '保本保收益' }], rationale: '' }));
    const run = await service(client, s).check('c1', transcript, new Set());
    expect(client.requests).toHaveLength(1);
    const user = client.requests[0]?.messages[1]?.content ?? '';
    expect(user).toContain('问题');
    expect(user).toContain('[NATIONAL_ID]');
    expect(user).not.toContain('11010519491231002X');
    expect(run).toMatchObject({ status: 'completed', questionsAsked: 1, redactions: 1, inputTokens: 100, outputTokens: 20, costUsd: null });
    expect(s.findings.get('c1')?.map((f) => f.ruleId)).toEqual(['llm_risk_explained']);
  });

  it('discards and counts a reply that is not the schema or a refusal, never caching a refusal', async () => {
    const s = stores();
    const client = new ScriptedClient((req) =>
      req.messages[1]?.content.includes('承诺') ? { content: null, refusal: 'cannot', inputTokens: 5, outputTokens: 1 } : reply({ answer: 'maybe', quotes: [] }),
    );
    const run = await service(client, s).check('c1', transcript, new Set(['guaranteed_returns']));
    expect(run).toMatchObject({ questionsAsked: 2, discardedAnswers: 2 });
    expect(run.answers.map((a) => a.reason).sort()).toEqual(['answer.answer: must be yes, no or not_applicable', 'refused: cannot']);
    expect(s.findings.get('c1')).toEqual([]);
    expect(s.cache.size).toBe(1);
  });

  it('records a rejected request (bad key) as failed without failing the call; a transient failure is rethrown for a retry', async () => {
    const s = stores();
    const rejecting = new ScriptedClient(() => {
      throw new LlmRequestError('LLM request failed with 401: bad key', true, 401);
    });
    await expect(service(rejecting, s).check('c1', transcript, new Set())).resolves.toMatchObject({ status: 'failed', reason: 'LLM request failed with 401: bad key' });
    const flaky = new ScriptedClient(() => {
      throw new LlmRequestError('LLM request failed with 503: busy', false, 503);
    });
    await expect(service(flaky, s).check('c2', transcript, new Set())).rejects.toThrow(/503/);
    expect(s.runs.has('c2')).toBe(false);
  });

  it("skips a call, asking nothing, once its campaign's spend today reached the daily ceiling", async () => {
    const s = stores();
    const client = new ScriptedClient(() => reply({ answer: 'yes', quotes: [{ segmentId: 0, quote: '保本' }], rationale: '' }));
    const run = await service(client, s, source(SHIPPED_LLM_QUESTIONS, 0.5, 0.5)).check('c1', transcript, new Set(), 'zh', { campaignId: 'k1' });
    expect(run).toMatchObject({ status: 'skipped', skippedBy: 'cost_ceiling', questionsAsked: 0 });
    expect(run.reason).toMatch(/daily LLM cost ceiling reached.*\$0\.5000 spent today \(UTC\) of \$0\.5000/);
    expect(client.requests).toHaveLength(0);
    expect(s.runs.get('c1')).not.toHaveProperty('skippedBy');
    // under the ceiling, or without a campaign, it asks
    await expect(service(client, s, source(SHIPPED_LLM_QUESTIONS, 0.5, 0.49)).check('c2', transcript, new Set(), 'zh', { campaignId: 'k1' })).resolves.toMatchObject({ status: 'completed' });
    await expect(service(client, s, source(SHIPPED_LLM_QUESTIONS, 0.5, 9)).check('c3', transcript, new Set(), 'zh', {})).resolves.toMatchObject({ status: 'completed' });
  });

  it('runs a cascade question only when a named rule id fired, and keeps the verified quotes on the answer', async () => {
    const s = stores();
    const cascade: LlmQuestion = {
      ...(SHIPPED_LLM_QUESTIONS[1] as LlmQuestion),
      id: 'acme_capital',
      promptVersion: '3',
      text: { en: 'Did the agent say the capital is protected?' },
      criteria: { pass: 'no such claim', fail: 'the agent says capital is protected' },
      trigger: { kind: 'on_candidates', families: [], rules: ['zh_capital_protected'] },
    };
    const client = new ScriptedClient(() => reply({ answer: 'yes', quotes: [{ segmentId: 0, quote: '保本保收益' }], rationale: 'said so' }));
    const none = await service(client, s, source([cascade])).check('c1', transcript, new Set(['guaranteed_returns']), 'zh', { firedRules: new Set(['other_rule']) });
    expect(none).toMatchObject({ status: 'completed', questionsAsked: 0 });
    const run = await service(client, s, source([cascade])).check('c2', transcript, new Set(), 'zh', { firedRules: new Set(['zh_capital_protected']) });
    expect(run.answers).toEqual([
      expect.objectContaining({ questionId: 'acme_capital', promptVersion: '3', answer: 'yes', verified: true, finding: true, rationale: 'said so', quotes: [expect.objectContaining({ segmentIndex: 0, text: '保本保收益' })] }),
    ]);
    // an English-only question asked of a Chinese call goes out in English, with its criteria
    const user = client.requests[0]?.messages[1]?.content ?? '';
    expect(user).toContain('Did the agent say the capital is protected?');
    expect(user).toContain('回答 yes 的情形：the agent says capital is protected');
    expect(s.findings.get('c2')?.[0]).toMatchObject({ ruleId: 'acme_capital', ruleVersion: '3' });
  });
});
