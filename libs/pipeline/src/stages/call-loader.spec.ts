import type { CallRecord, CallRepository } from '#libs/db';
import { PermanentJobError } from '#libs/queue';
import { StageCall } from './call-loader.js';

const ID = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';

/** Counts reads; the record carries the read's number so a test can tell a fresh read from a kept one. */
function countingCalls(results: Array<'ok' | 'missing' | 'error'>): { repository: CallRepository; reads: () => number } {
  let reads = 0;
  const repository = {
    findById: async (id: string) => {
      const outcome = results[reads] ?? 'ok';
      reads += 1;
      if (outcome === 'error') throw new Error('connection reset');
      return outcome === 'missing' ? null : ({ id, durationSeconds: reads } as unknown as CallRecord);
    },
  } as unknown as CallRepository;
  return { repository, reads: () => reads };
}

describe('StageCall', () => {
  it('reads the call once for the stages of a job', async () => {
    const { repository, reads } = countingCalls([]);
    const call = new StageCall(repository, ID);
    const [a, b] = await Promise.all([call.load(), call.load()]);
    const c = await call.load();
    expect(reads()).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('reads again after a stage changed the row', async () => {
    const { repository, reads } = countingCalls([]);
    const call = new StageCall(repository, ID);
    expect((await call.load()).durationSeconds).toBe(1);
    call.changed();
    expect((await call.load()).durationSeconds).toBe(2);
    expect(reads()).toBe(2);
  });

  it('does not keep a failed read', async () => {
    const { repository, reads } = countingCalls(['error', 'ok']);
    const call = new StageCall(repository, ID);
    await expect(call.load()).rejects.toThrow('connection reset');
    expect((await call.load()).id).toBe(ID);
    expect(reads()).toBe(2);
  });

  it('fails permanently for a call that does not exist', async () => {
    const { repository } = countingCalls(['missing']);
    await expect(new StageCall(repository, ID).load()).rejects.toBeInstanceOf(PermanentJobError);
  });
});
