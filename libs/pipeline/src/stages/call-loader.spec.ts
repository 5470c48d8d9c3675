import type { CallRecord, CallRepository, CallResultsRepository, LlmCheckRunRecord } from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';
import { StageCall } from './call-loader.js';

const ID = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

/**
 * Repositories that count their reads; each answer carries the read's number, so a test can tell a fresh read from
 * a kept one. (What is under test is which reads a job's stages share, not the database.)
 */
function counting(results: Array<'ok' | 'missing' | 'error'> = []) {
  const reads = { call: 0, transcript: 0, metrics: 0, findings: 0 };
  const calls = {
    findById: async (id: string) => {
      const outcome = results[reads.call] ?? 'ok';
      reads.call += 1;
      if (outcome === 'error') throw new Error('connection reset');
      return outcome === 'missing' ? null : ({ id, durationSeconds: reads.call, audioChannels: 2, redactedAudioKey: null } as unknown as CallRecord);
    },
  } as unknown as CallRepository;
  const stored = {
    findTranscriptWithRedaction: async () => ({ transcript: { provider: 'test', read: ++reads.transcript }, redacted: null }),
    findMetrics: async () => ({ read: ++reads.metrics }),
    listFindings: async () => {
      reads.findings += 1;
      if (reads.findings === 1 && results.includes('error')) throw new Error('connection reset');
      return [{ id: `f${reads.findings}` }];
    },
  } as unknown as CallResultsRepository;
  return { calls, stored, reads };
}

describe('StageCall', () => {
  it('reads the call, transcript, metrics and findings once for the stages of a job', async () => {
    const { calls, stored, reads } = counting();
    const call = new StageCall(calls, stored, ID);
    const [a, b] = await Promise.all([call.load(), call.load()]);
    expect(await call.load()).toBe(a);
    expect(b).toBe(a);
    for (let stage = 0; stage < 3; stage++) await Promise.all([call.transcript(), call.metrics(), call.findings()]);
    expect(reads).toEqual({ call: 1, transcript: 1, metrics: 1, findings: 1 });
  });

  it('takes the columns a stage wrote into the loaded call without reading it again', async () => {
    const { calls, stored, reads } = counting();
    const call = new StageCall(calls, stored, ID);
    expect((await call.load()).audioChannels).toBe(2);
    call.patch({ audioChannels: 1, redactedAudioKey: 'redacted/x.wav' });
    expect(await call.load()).toMatchObject({ id: ID, durationSeconds: 1, audioChannels: 1, redactedAudioKey: 'redacted/x.wav' });
    expect(reads.call).toBe(1);
  });

  it('reads findings again after a stage of the job wrote them, and takes a written transcript, metrics and LLM run as written', async () => {
    const { calls, stored, reads } = counting();
    const call = new StageCall(calls, stored, ID);
    expect(await call.findings()).toEqual([{ id: 'f1' }]);
    call.findingsChanged();
    expect(await call.findings()).toEqual([{ id: 'f2' }]);
    await call.metrics();
    await call.transcript();
    const metrics = { source: 'audio', durationSeconds: 12 } as unknown as ConversationMetricsResult;
    const transcript = { transcript: { provider: 'written' } as unknown as NormalisedTranscript, redacted: null };
    call.metricsSaved(metrics);
    call.transcriptSaved(transcript);
    expect(await call.metrics()).toBe(metrics);
    expect(await call.transcript()).toBe(transcript);
    expect(reads).toMatchObject({ findings: 2, metrics: 1, transcript: 1 });
    expect(call.savedLlmRun()).toBeNull();
    const run = { status: 'skipped', answers: [] } as unknown as LlmCheckRunRecord;
    call.llmRunSaved(run);
    expect(call.savedLlmRun()).toBe(run);
  });

  it('does not keep a failed read', async () => {
    const { calls, stored, reads } = counting(['error', 'ok']);
    const call = new StageCall(calls, stored, ID);
    await expect(call.load()).rejects.toThrow('connection reset');
    expect((await call.load()).id).toBe(ID);
    await expect(call.findings()).rejects.toThrow('connection reset');
    expect(await call.findings()).toEqual([{ id: 'f2' }]);
    expect(reads).toMatchObject({ call: 2, findings: 2 });
  });

  it('fails permanently for a call that does not exist', async () => {
    const { calls, stored } = counting(['missing']);
    await expect(new StageCall(calls, stored, ID).load()).rejects.toBeInstanceOf(PermanentJobError);
  });
});
