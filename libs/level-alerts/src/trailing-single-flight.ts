/**
 * At most one run per key at a time, and at most one waiting behind it: a request made while a run is in progress
 * schedules the next run, or joins it when one is already waiting (it has not started, so it reads what the
 * request wrote). Every request is served by a run that starts after it; under load, many requests share one.
 * The request that scheduled a run gets its result; the ones that joined get `joined`.
 */
export class TrailingSingleFlight<T> {
  private readonly keys = new Map<string, { tail: Promise<void>; waiting: Promise<T> | null }>();

  run(key: string, task: () => Promise<T>, joined: T): Promise<T> {
    const state = this.keys.get(key) ?? { tail: Promise.resolve(), waiting: null };
    if (state.waiting) return state.waiting.then(() => joined);
    const run: Promise<T> = state.tail.then(() => {
      state.waiting = null;
      return task();
    });
    state.waiting = run;
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    state.tail = tail;
    this.keys.set(key, state);
    void tail.then(() => {
      if (state.tail === tail) this.keys.delete(key);
    });
    return run;
  }

  /** Keys with a run in progress or waiting (for tests and metrics). */
  get size(): number {
    return this.keys.size;
  }
}
