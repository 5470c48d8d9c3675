import { GroupCommit } from './group-commit.js';

/** A write that waits until the test releases it, recording each batch it was given. */
function gatedWrites() {
  const batches: number[][] = [];
  const gates: { release: () => void; fail: (error: Error) => void }[] = [];
  const write = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push([...items]);
      gates.push({ release: resolve, fail: reject });
    });
  return { batches, gates, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes at once when idle, and together what arrived while a write was in flight', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit<number>(write);
    const first = commit.submit(1);
    await settle();
    expect(batches).toEqual([[1]]);
    const rest = [commit.submit(2), commit.submit(3), commit.submit(4)];
    await settle();
    expect(batches).toEqual([[1]]);
    gates[0].release();
    await first;
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1].release();
    await Promise.all(rest);
  });

  it('rejects every caller of a failed batch, and the next batch still goes', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit<number>(write);
    const first = commit.submit(1);
    const failing = [commit.submit(2), commit.submit(3)];
    await settle();
    gates[0].release();
    await first;
    await settle();
    const later = commit.submit(4);
    gates[1].fail(new Error('deadlock detected'));
    await Promise.all(failing.map((promise) => expect(promise).rejects.toThrow('deadlock detected')));
    await settle();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    gates[2].release();
    await expect(later).resolves.toBeUndefined();
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit<number>(write, 2);
    const all = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    for (let i = 0; i < 3; i++) {
      await settle();
      gates[i].release();
    }
    await Promise.all(all);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });
});
