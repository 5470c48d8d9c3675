import { TrailingSingleFlight } from './trailing-single-flight.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('TrailingSingleFlight', () => {
  it('serves requests made during a run with one run after it, and the requests of other keys apart', async () => {
    const flight = new TrailingSingleFlight<string>();
    const log: string[] = [];
    let writes = 0;
    const gates: (() => void)[] = [];
    const task = (key: string) => async () => {
      const seen = writes;
      log.push(`start ${key} seeing ${seen}`);
      await new Promise<void>((r) => gates.push(r));
      return `${key}:${seen}`;
    };
    writes = 1;
    const first = flight.run('a', task('a'), 'joined');
    await tick();
    writes = 2;
    const second = flight.run('a', task('a'), 'joined');
    writes = 3;
    const third = flight.run('a', task('a'), 'joined');
    const other = flight.run('b', task('b'), 'joined');
    await tick();
    expect(log).toEqual(['start a seeing 1', 'start b seeing 3']);
    gates.shift()?.();
    expect(await first).toBe('a:1');
    await tick();
    // the second run started after both requests and saw both writes
    expect(log).toEqual(['start a seeing 1', 'start b seeing 3', 'start a seeing 3']);
    gates.forEach((g) => g());
    expect(await Promise.all([second, third, other])).toEqual(['a:3', 'joined', 'b:3']);
    await tick();
    expect(flight.size).toBe(0);
  });

  it('passes a failed run to its requests, and the next request runs again', async () => {
    const flight = new TrailingSingleFlight<number>();
    let calls = 0;
    const failing = flight.run('k', async () => {
      calls++;
      throw new Error('db down');
    }, 0);
    await expect(failing).rejects.toThrow('db down');
    expect(await flight.run('k', async () => ++calls, 0)).toBe(2);
  });
});
