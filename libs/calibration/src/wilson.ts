/** A proportion's 95% confidence interval (Wilson score): sensible at small counts and at 0 or 1. */
export interface Interval {
  low: number;
  high: number;
}

const Z95 = 1.959963984540054;

/** The Wilson score interval of `successes` out of `trials` at 95%; null when there were no trials. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export const Z_95 = Z95;
