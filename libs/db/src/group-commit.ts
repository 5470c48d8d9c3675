interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** items a statement takes at most */
  maxBatch?: number;
  /** under load, how long a new batch waits for company before it goes */
  lingerMs?: number;
}

/**
 * Busy means a batch went out this recently (under load one statement's batches are tens of milliseconds apart): a
 * request now and then (a person at the console) is not load, and its statements go at once.
 */
const BUSY_WINDOW_MS = 1000;

/**
 * Group commit: writes submitted in one turn of the event loop while none is in flight go together at its end; those
 * submitted while one is in flight wait and then go together, as one call of `write`, which answers one result per
 * item, in order. Idle, a write costs what it did alone; under load, N concurrent jobs' writes cost one statement (or
 * one transaction), and the jobs one batch's answer wakes stay together for their next write. Under load a new batch
 * also lingers `lingerMs` (2 ms) first: without it, jobs that drift apart by a millisecond send their statements
 * apart, and a batch holds 4–6 calls where it could hold 30 (bench:pipeline: Postgres CPU a call 3.8 → 1.8 ms). A
 * batch that fails is written again item by item, so one bad item (or a deadlock) fails only its own caller.
 * (DataLoader batches only within one turn of the event loop, which concurrent jobs waiting on their own I/O seldom
 * share.)
 */
export class GroupCommit<T, R = void> {
  private waiting: Waiting<T, R>[] = [];
  private inFlight = false;
  private lastBatchAt = Number.NEGATIVE_INFINITY;
  private readonly maxBatch: number;
  private readonly lingerMs: number;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<readonly R[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 2;
  }

  submit(item: T): Promise<R> {
    const settled = new Promise<R>((resolve, reject) => this.waiting.push({ item, resolve, reject }));
    if (!this.inFlight) {
      this.inFlight = true;
      // at the earliest after this turn of the event loop: the jobs a batch's answer woke submit their next writes together
      if (this.lingerMs > 0 && performance.now() - this.lastBatchAt < BUSY_WINDOW_MS) setTimeout(() => void this.drain(), this.lingerMs);
      else setImmediate(() => void this.drain());
    }
    return settled;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        this.lastBatchAt = performance.now();
        await this.writeBatch(this.waiting.splice(0, this.maxBatch));
      }
    } finally {
      this.inFlight = false;
    }
  }

  private async writeBatch(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, index) => waiting.resolve(results[index] as R));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const waiting of batch) await this.writeBatch([waiting]);
    }
  }
}

/**
 * Reads by key as a GroupCommit: the keys of concurrent callers go in one query. `readMany` answers the rows it found
 * by key (each key once, after `normalise`: a uuid's lower case, as Postgres answers it); a key not found answers null.
 */
export function batchedReads<K, V>(readMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>, normalise: (key: K) => K = (key) => key): GroupCommit<K, V | null> {
  return new GroupCommit<K, V | null>(async (keys) => {
    const found = await readMany([...new Set(keys.map(normalise))]);
    return keys.map((key) => found.get(normalise(key)) ?? null);
  });
}

/** A uuid as Postgres answers it, for batchedReads. */
export const lowerCase = (key: string): string => key.toLowerCase();

/**
 * Concurrent callers asking for the same key share one run of `work` until it settles (then the next caller runs it
 * again): a batch of uploads naming a new agent creates it once instead of racing fifty inserts.
 */
export function singleFlight<V>(): (key: string, work: () => Promise<V>) => Promise<V> {
  const inFlight = new Map<string, Promise<V>>();
  return (key, work) => {
    const running = inFlight.get(key);
    if (running) return running;
    const started = work().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
