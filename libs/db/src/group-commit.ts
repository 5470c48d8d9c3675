interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: a write submitted while none is in flight goes at once; writes submitted while one is in flight wait
 * and then go together, as one call of `write`. Idle, a write costs what it did alone; under load, N concurrent jobs'
 * writes cost one statement. Each caller's promise settles with its batch: a failed batch rejects every caller in it,
 * and nothing of it was written when `write` is one statement. (DataLoader batches only within one tick of the event
 * loop, which concurrent jobs waiting on their own I/O seldom share.)
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private inFlight = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<void> {
    const settled = new Promise<void>((resolve, reject) => this.waiting.push({ item, resolve, reject }));
    if (!this.inFlight) void this.drain();
    return settled;
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        try {
          await this.write(batch.map((waiting) => waiting.item));
          for (const waiting of batch) waiting.resolve();
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      }
    } finally {
      this.inFlight = false;
    }
  }
}
