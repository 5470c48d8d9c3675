import { LLM_ANSWER_SCHEMA } from './llm-answer.js';
import { CHAT_COMPLETIONS, type ChatRequest, type FakeOpenAi, startFakeOpenAi } from '../../../test/support/fake-openai-server.js';
import type { LlmCompletionRequest } from './llm-client.js';
import { LlmRequestError } from './llm-request.error.js';
import { OpenAiLlmClient } from './openai-llm.client.js';

const request: LlmCompletionRequest = {
  messages: [
    { role: 'system', content: 'You review calls.' },
    { role: 'user', content: 'Transcript:\n[0] agent: guaranteed returns\n\nQuestion: promised?' },
  ],
  schema: { name: LLM_ANSWER_SCHEMA.name, strict: true, schema: LLM_ANSWER_SCHEMA.schema },
};

describe('OpenAiLlmClient', () => {
  let fake: FakeOpenAi;
  const client = (overrides: { apiKey?: string; maxRetries?: number } = {}) =>
    new OpenAiLlmClient({ baseURL: fake.baseURL, apiKey: overrides.apiKey ?? 'sk-test', model: 'gpt-test', timeoutMs: 5000, maxRetries: overrides.maxRetries ?? 0 });

  beforeEach(async () => {
    fake = await startFakeOpenAi({
      apiKey: 'sk-test',
      chat: () => ({ content: { answer: 'yes', quotes: [{ segmentId: 0, quote: 'guaranteed returns' }], rationale: 'r' } }),
    });
  });
  afterEach(() => fake.stop());

  it('sends strict json_schema structured output and returns the reply with its token usage', async () => {
    const reply = await client().complete(request);
    expect(JSON.parse(reply.content ?? '')).toMatchObject({ answer: 'yes' });
    expect(reply.inputTokens).toBeGreaterThan(0);
    expect(reply.outputTokens).toBeGreaterThan(0);
    const sent = fake.requests[0]?.json as ChatRequest;
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions');
    expect(sent.model).toBe('gpt-test');
    expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'scorecard_answer', strict: true, schema: LLM_ANSWER_SCHEMA.schema } });
    expect(sent.messages).toEqual(request.messages);
  });

  it('reports a refusal without content', async () => {
    fake.route(CHAT_COMPLETIONS, () => ({ status: 200, body: { id: 'x', object: 'chat.completion', created: 0, model: 'gpt-test', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } }] } }));
    await expect(client().complete(request)).resolves.toMatchObject({ content: null, refusal: 'I cannot help with that.', inputTokens: 0 });
  });

  it('makes a rejected key a permanent error', async () => {
    const error = await client({ apiKey: 'sk-wrong' }).complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ permanent: true, status: 401 });
  });

  it('retries a 429 and a 500 (the SDK), then succeeds', async () => {
    fake.script(
      { route: CHAT_COMPLETIONS, status: 429, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } },
      { route: CHAT_COMPLETIONS, status: 500, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'boom', type: 'server_error' } } },
    );
    const reply = await client({ maxRetries: 2 }).complete(request);
    expect(reply.content).not.toBeNull();
    expect(fake.requests.map((r) => r.status)).toEqual([429, 500, 200]);
  });

  it('makes a server error that outlasts the retries transient', async () => {
    fake.script({ route: CHAT_COMPLETIONS, status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } });
    await expect(client().complete(request)).rejects.toMatchObject({ name: 'LlmRequestError', permanent: false, status: 503 });
  });

  it('is answered 400 by the fake when a strict schema is not closed (as the real API does)', async () => {
    const open = { ...request, schema: { name: 'loose', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } };
    await expect(client().complete(open)).rejects.toMatchObject({ permanent: true, status: 400, message: expect.stringMatching(/additionalProperties/) });
  });
});
