export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for a binomial proportion (default 95%). n = 0 gives [0, 1]: nothing is known.
 * Throws RangeError on impossible counts.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (!Number.isFinite(n) || n < 0 || !Number.isFinite(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need 0 <= successes (${successes}) <= n (${n})`);
  }
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp: at p = 0 or 1 the bound equals 0 or 1 exactly in theory but not in floating point.
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
