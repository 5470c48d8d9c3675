import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, type Stack, startStack, uploadCall, uploadSamples, waitForCalls } from '../../scripts/stack/earshot-stack.js';
import { type ChatReply, type ChatRequest, startFakeOpenAi } from '../support/fake-openai-server.js';
import { REVIEW_CALL, STACK_ENV, type StackInfo, USERS } from './fixtures.js';

/** Starts the stack once for every browser test, with the sample calls processed by the real pipeline. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // the LLM questions go to our OpenAI-compatible fake, so the call view has answers to show
  const llm = await startFakeOpenAi({ apiKey: 'sk-browser-test', chat: answerLlm });
  const stack = await startStack({
    logDir: join(ROOT, 'test-results/browser/logs'),
    env: { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'sk-browser-test', LLM_MODEL: 'gpt-browser-test' },
  }).catch(async (error: unknown) => {
    await llm.stop();
    throw error;
  });
  const stop = async () => {
    await stack.stop();
    await llm.stop();
  };
  try {
    const calls = { ...(await uploadSamples(stack)), [REVIEW_CALL]: await uploadReviewCall(stack) };
    await waitForCalls(stack, Object.values(calls));
    // after the uploads: an agent user links to an agent the calls created
    for (const user of Object.values(USERS)) {
      const response = await stack.adminFetch('/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, displayName: user.displayName, role: user.role, agent: user.agent, password: user.password }),
      });
      if (response.status !== 201) throw new Error(`creating ${user.email}: ${response.status} ${await response.text()}`);
    }
    const info: StackInfo = { baseUrl: stack.baseUrl, databaseUrl: stack.databaseUrl, admin: stack.admin, calls };
    process.env[STACK_ENV] = JSON.stringify(info);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/**
 * The "model": the returns question is answered yes, quoting the English sample's promise (verified where the call
 * says it); the risk question is answered no with a quote nobody said, which the pipeline must discard.
 */
function answerLlm(request: ChatRequest): ChatReply {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const line = user.split('\n').find((l) => l.includes('guaranteed returns')) ?? '';
  const segmentId = Number(/^\[(\d+)\]/.exec(line)?.[1] ?? -1);
  if (/promise or guarantee/.test(user)) {
    return { content: { answer: 'yes', quotes: [{ segmentId, quote: 'guaranteed returns of twelve percent' }], rationale: 'the agent guaranteed twelve percent' } };
  }
  return { content: { answer: 'no', quotes: [{ segmentId, quote: 'there is no risk whatsoever, I promise' }], rationale: 'no risk warning' } };
}

/**
 * A compliant call with a promise of returns (critical) and pressure to decide (major) added, so dismissing its critical findings lifts the auto-fail and
 * changes the score. Its audio is the compliant sample's with one byte changed, so it is a new recording.
 */
async function uploadReviewCall(stack: Stack): Promise<string> {
  const audio = await readFile(join(ROOT, 'samples/audio/en-compliant.wav'));
  audio[audio.length - 1] = (audio[audio.length - 1] ?? 0) ^ 1;
  const transcript = JSON.parse(await readFile(join(ROOT, 'samples/audio/en-compliant.transcript.json'), 'utf8')) as { segments: { text: string }[] };
  (transcript.segments[2] as { text: string }).text = 'I would like to tell you about our balanced fund, it has guaranteed returns.';
  (transcript.segments[5] as { text: string }).text = 'Of course, I will email it today, but you need to decide today.';
  return uploadCall(stack, {
    audio,
    audioName: 'review.wav',
    transcript: Buffer.from(JSON.stringify(transcript)),
    metadata: {
      externalId: 'browser-review-001',
      agentExternalId: 'agent-002',
      groupName: 'Wealth desk A',
      teamName: 'Outbound sales',
      campaignExternalId: 'fund-q4',
      customerPhone: '+14155550199',
      direction: 'outbound',
      startedAt: '2026-11-21T10:00:00-08:00',
      timeZone: 'America/Los_Angeles',
      channelLayout: 'stereo',
      language: 'en',
    },
  });
}
