import { calibrate, type CalibrationFinding, cohensKappa } from './calibration.js';
import { wilsonInterval } from './wilson.js';

const calls = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `c${from + i}`);
const finding = (callId: string, ruleId: string, reviewState: CalibrationFinding['reviewState'], source = 'rule'): CalibrationFinding => ({ callId, ruleId, source, reviewState });

describe('wilsonInterval', () => {
  it.each([
    // successes, trials, low, high (published Wilson 95% intervals)
    [4, 6, 0.3, 0.9032],
    [0, 5, 0, 0.4345],
    [5, 5, 0.5655, 1],
    [50, 100, 0.4038, 0.5962],
  ])('%i of %i -> [%f, %f]', (s, n, low, high) => {
    const ci = wilsonInterval(s, n);
    expect(ci?.low).toBeCloseTo(low, 3);
    expect(ci?.high).toBeCloseTo(high, 3);
  });

  it('has no interval without trials', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('cohensKappa', () => {
  it('matches the hand computation on a 2x2 table', () => {
    // a=4 b=2 c=1 d=3: po = 7/10; pe = (6*5 + 4*5)/100 = 0.5; kappa = (0.7 - 0.5) / 0.5 = 0.4
    // se = sqrt(0.7*0.3 / (10 * 0.25)) = sqrt(0.084) = 0.28983; 0.4 -/+ 1.96 * se
    const k = cohensKappa(4, 2, 1, 3);
    expect(k.value).toBeCloseTo(0.4, 10);
    expect(k.ci95?.low).toBeCloseTo(0.4 - 1.959964 * Math.sqrt(0.084), 6);
    expect(k.ci95?.high).toBeCloseTo(0.4 + 1.959964 * Math.sqrt(0.084), 6);
  });

  it('is 0 for chance agreement and negative for systematic disagreement', () => {
    expect(cohensKappa(5, 5, 5, 5).value).toBeCloseTo(0, 10);
    // po = 0, pe = 0.5 -> -1
    expect(cohensKappa(0, 5, 5, 0).value).toBeCloseTo(-1, 10);
  });

  it('is undefined without calls or when both raters always say the same one thing', () => {
    expect(cohensKappa(0, 0, 0, 0).value).toBeNull();
    expect(cohensKappa(3, 0, 0, 0).value).toBeNull();
  });
});

describe('calibrate: a hand-built reviewed set with known answers', () => {
  // 11 reviewed calls. R1: confirmed on c1-c4, dismissed on c5-c6, missed (reviewer added) on c7, nothing on c8-c10,
  // pending only on c11 (undecided). R2 (an LLM question): confirmed on c11. R3: dismissed on c1-c5.
  // c12 was never reviewed: its findings count nowhere.
  const reviewedCallIds = calls(11);
  const findings = [
    ...calls(4).map((c) => finding(c, 'R1', 'confirmed')),
    finding('c5', 'R1', 'dismissed'),
    finding('c6', 'R1', 'dismissed'),
    finding('c11', 'R1', 'pending'),
    finding('c12', 'R1', 'confirmed'),
    finding('c11', 'R2', 'confirmed', 'llm'),
    ...calls(5).map((c) => finding(c, 'R3', 'dismissed')),
  ];
  const report = calibrate({ reviewedCallIds, findings, missed: [{ callId: 'c7', ruleId: 'R1', source: 'rule' }] }, 0.8);
  const r = (id: string) => report.rules.find((x) => x.ruleId === id);

  it('counts findings, misses and calls', () => {
    expect(report.reviewedCalls).toBe(11);
    expect(r('R1')).toMatchObject({ confirmed: 4, dismissed: 2, pending: 1, missed: 1, calls: { a: 4, b: 2, c: 1, d: 3, n: 10, undecided: 1 } });
  });

  it('gives precision, recall and agreement with Wilson intervals', () => {
    const r1 = r('R1');
    expect(r1?.precision).toMatchObject({ successes: 4, trials: 6 });
    expect(r1?.precision.value).toBeCloseTo(4 / 6, 10);
    expect(r1?.precision.ci95?.low).toBeCloseTo(0.3, 3);
    expect(r1?.precision.ci95?.high).toBeCloseTo(0.9032, 3);
    expect(r1?.recall.value).toBeCloseTo(4 / 5, 10);
    expect(r1?.agreement.value).toBeCloseTo(0.7, 10);
  });

  it("gives Cohen's kappa as computed by hand", () => {
    // a=4 b=2 c=1 d=3 (n=10): po = 0.7, pe = (6*5 + 4*5)/100 = 0.5, kappa = 0.4
    expect(r('R1')?.kappa.value).toBeCloseTo(0.4, 10);
    // R2: a=1, d=10 of 11: po = 1, pe = (1 + 100)/121, kappa = 1
    expect(r('R2')?.kappa.value).toBeCloseTo(1, 10);
    expect(r('R2')?.source).toBe('llm');
    // R3: b=5, d=6: po = 6/11, pe = (5*0 + 11*6)/121 = 66/121; kappa = (6/11 - 66/121) / (1 - 66/121) = 0
    expect(r('R3')?.kappa.value).toBeCloseTo(0, 10);
  });

  it('flags rules under the precision floor, and those whose whole interval is under it', () => {
    expect(r('R1')).toMatchObject({ belowFloor: true, confidentlyBelowFloor: false });
    expect(r('R2')).toMatchObject({ belowFloor: false, confidentlyBelowFloor: false });
    expect(r('R3')).toMatchObject({ belowFloor: true, confidentlyBelowFloor: true });
    expect(report.rules.map((x) => x.ruleId)).toEqual(['R3', 'R1', 'R2']);
  });

  it('keeps a rule with no decisions without precision', () => {
    const only = calibrate({ reviewedCallIds: ['c1'], findings: [finding('c1', 'R9', 'pending')], missed: [] }, 0.8);
    expect(only.rules[0]).toMatchObject({ ruleId: 'R9', belowFloor: false, precision: { value: null, ci95: null } });
  });
});
