import { setTimeout as sleep } from 'node:timers/promises';
import { GroupCommit, singleFlight } from './group-commit.js';

/** A write that waits until the test releases it, recording each batch it was given. */
function gatedWrites() {
  const batches: number[][] = [];
  const gates: { release: () => void; fail: (error: Error) => void }[] = [];
  const write = (items: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push([...items]);
      gates.push({ release: () => resolve(items.map((n) => n * 10)), fail: reject });
    });
  return { batches, gates, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes after the turn of the event loop when idle, and together what arrived while a write was in flight', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit<number, number>(write);
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

  it('answers each caller its own result', async () => {
    const commit = new GroupCommit<number, number>(async (items) => items.map((n) => n * 10));
    await expect(Promise.all([commit.submit(1), commit.submit(2), commit.submit(3)])).resolves.toEqual([10, 20, 30]);
  });

  it('writes a failed batch again item by item: only the bad item fails its caller', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      await settle();
      if (items.includes(3)) throw new Error('violates a constraint');
      return items.map((n) => n * 10);
    });
    // submitted in one turn of the event loop: one batch
    const [first, second, bad, fourth] = [1, 2, 3, 4].map((n) => commit.submit(n));
    await expect(first).resolves.toBe(10);
    await expect(bad).rejects.toThrow('violates a constraint');
    await expect(Promise.all([second, fourth])).resolves.toEqual([20, 40]);
    expect(batches).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { batches, gates, write } = gatedWrites();
    const commit = new GroupCommit<number, number>(write, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    for (let i = 0; i < 3; i++) {
      await settle();
      gates[i].release();
    }
    await Promise.all(all);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('under load lets a new batch linger for statements a moment apart; idle, sends at once', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      return [...items];
    }, { lingerMs: 50 });
    await commit.submit(1);
    await settle();
    expect(batches).toEqual([[1]]);
    // a batch just went: the next one waits for company
    const second = commit.submit(2);
    await settle();
    expect(batches).toEqual([[1]]);
    await sleep(1);
    const third = commit.submit(3);
    await Promise.all([second, third]);
    expect(batches).toEqual([[1], [2, 3]]);
    // quiet again for a second: a statement goes at once
    await sleep(1100);
    const fourth = commit.submit(4);
    await settle();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    await fourth;
  });
});

describe('singleFlight', () => {
  it('runs the work once for concurrent callers of one key, apart for other keys, and again once it settled', async () => {
    const runs: string[] = [];
    const once = singleFlight<string>();
    const work = (key: string) => async () => {
      const run = runs.push(key);
      await sleep(5);
      return `${key}-${run}`;
    };
    const answers = await Promise.all([once('a', work('a')), once('a', work('a')), once('b', work('b')), once('a', work('a'))]);
    expect(answers).toEqual(['a-1', 'a-1', 'b-2', 'a-1']);
    expect(runs).toEqual(['a', 'b']);
    expect(await once('a', work('a'))).toBe('a-3');
  });

  it('gives every waiting caller the failure, and lets the next caller try again', async () => {
    const once = singleFlight<number>();
    let attempts = 0;
    const failing = async () => {
      attempts++;
      await sleep(1);
      throw new Error('unique violation');
    };
    const settled = await Promise.allSettled([once('k', failing), once('k', failing)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(attempts).toBe(1);
    await expect(once('k', async () => 7)).resolves.toBe(7);
  });
});
