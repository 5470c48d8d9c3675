import { wilsonInterval } from './wilson.js';

describe('wilsonInterval', () => {
  // Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, 95%).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%d / %d matches Newcombe: [%d, %d]', (successes, n, low, high) => {
    const ci = wilsonInterval(successes, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it.each([
    // closed forms: at 0 / n the upper bound is z^2 / (n + z^2); at n / n the lower bound is n / (n + z^2)
    [0, 10, 1.96, 0, 3.8416 / 13.8416],
    [10, 10, 1.96, 10 / 13.8416, 1],
    [5, 10, 1.96, 0.23659, 0.76341],
    [5, 10, 2.576, 0.18421, 0.81579],
  ])('%d / %d at z=%d gives [%d, %d], clamped to [0, 1]', (successes, n, z, low, high) => {
    const ci = wilsonInterval(successes, n, z);
    expect(ci.low).toBeCloseTo(low, 5);
    expect(ci.high).toBeCloseTo(high, 5);
    expect(ci.low).toBeGreaterThanOrEqual(0);
    expect(ci.high).toBeLessThanOrEqual(1);
  });

  it('is symmetric: s / n mirrors (n - s) / n', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a.low).toBeCloseTo(1 - b.high, 12);
    expect(a.high).toBeCloseTo(1 - b.low, 12);
  });

  it('narrows as the sample grows at the same rate', () => {
    const small = wilsonInterval(3, 10);
    const large = wilsonInterval(300, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it('knows nothing at n = 0', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it.each([
    [5, 4],
    [-1, 4],
    [1, -1],
    [Number.NaN, 4],
  ])('refuses %d successes of %d', (s, n) => {
    expect(() => wilsonInterval(s, n)).toThrow(RangeError);
  });
});
