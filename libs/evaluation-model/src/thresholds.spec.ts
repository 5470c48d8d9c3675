import { countersFrom } from './call-outcome-counters.js';
import {
  DEFAULT_THRESHOLDS,
  emptyThresholdState,
  evaluateThresholds,
  thresholdValuesFrom,
  thresholdsInForce,
  validateThresholds,
  type ThresholdObservation,
  type ThresholdState,
} from './thresholds.js';

const agent = { kind: 'agent', id: 'ag-1' } as const;
const hangUps = (rate: number, sample = 100): ThresholdObservation => ({
  entity: agent,
  period: '2025-03-01',
  values: { earlyHangUpRate: { value: rate, sample } },
});

// Feeds a sequence of observations through evaluateThresholds, one arrival at a time.
function run(observations: ThresholdObservation[], state: ThresholdState = emptyThresholdState()) {
  const raised: number[] = [];
  const cleared: number[] = [];
  observations.forEach((o, i) => {
    const r = evaluateThresholds(state, [o]);
    raised.push(...r.alertsToRaise.map(() => i));
    cleared.push(...r.alertsToClear.map(() => i));
    state = r.nextState;
  });
  return { raised, cleared, state };
}

describe('evaluateThresholds', () => {
  it('raises one alert per crossing, none while it stays crossed, a new one after clearing and re-crossing', () => {
    const { raised, cleared, state } = run([
      hangUps(0.2), // 0: fine
      hangUps(0.31), // 1: crosses 30% -> raise
      hangUps(0.4), // 2: still crossed -> nothing
      hangUps(0.35), // 3: still crossed
      hangUps(0.27), // 4: below 30% but above the 25% clear level -> stays open (hysteresis)
      hangUps(0.31), // 5: still open -> no duplicate
      hangUps(0.25), // 6: back at good -> clear
      hangUps(0.28), // 7: below the raise level -> nothing
      hangUps(0.5), // 8: crosses again -> new alert
    ]);
    expect(raised).toEqual([1, 8]);
    expect(cleared).toEqual([6]);
    expect(Object.keys(state.open)).toEqual(['early_hang_up_rate|agent:ag-1|2025-03-01']);
  });

  it('describes the alert it raises', () => {
    const r = evaluateThresholds(emptyThresholdState(), [hangUps(0.32, 50)]);
    expect(r.alertsToRaise).toEqual([
      expect.objectContaining({
        key: 'early_hang_up_rate|agent:ag-1|2025-03-01',
        thresholdId: 'early_hang_up_rate',
        entity: agent,
        period: '2025-03-01',
        value: 0.32,
        sample: 50,
        op: '>',
        threshold: 0.3,
        severity: 'warning',
      }),
    ]);
  });

  it('does not modify the previous state', () => {
    const previous = emptyThresholdState();
    evaluateThresholds(previous, [hangUps(0.9)]);
    expect(previous).toEqual({ open: {} });
  });

  it('judges nothing below the minimum sample, neither raising nor clearing', () => {
    expect(evaluateThresholds(emptyThresholdState(), [hangUps(0.9, 5)]).alertsToRaise).toEqual([]);
    const open = evaluateThresholds(emptyThresholdState(), [hangUps(0.9)]).nextState;
    const r = evaluateThresholds(open, [hangUps(0, 5)]);
    expect(r.alertsToClear).toEqual([]);
    expect(r.nextState).toEqual(open);
  });

  it('leaves alerts alone for values not observed this time', () => {
    const open = evaluateThresholds(emptyThresholdState(), [hangUps(0.9)]).nextState;
    const r = evaluateThresholds(open, [{ entity: agent, period: '2025-03-01', values: { complaintRate: { value: 0, sample: 100 } } }]);
    expect(r.alertsToClear).toEqual([]);
    expect(r.nextState.open).toEqual(open.open);
  });

  it('keeps entities and periods apart', () => {
    const r = evaluateThresholds(emptyThresholdState(), [
      hangUps(0.9),
      { ...hangUps(0.9), period: '2025-03-02' },
      { ...hangUps(0.9), entity: { kind: 'team', id: 'ag-1' } },
      hangUps(0.95),
    ]);
    expect(r.alertsToRaise.map((a) => a.key)).toEqual([
      'early_hang_up_rate|agent:ag-1|2025-03-01',
      'early_hang_up_rate|agent:ag-1|2025-03-02',
      'early_hang_up_rate|team:ag-1|2025-03-01',
    ]);
  });

  it.each([
    ['complaint rate 1 in 100', { complaintRate: { value: 0.01, sample: 100 } }, ['complaint_rate']],
    ['complaint rate exactly 0.5%', { complaintRate: { value: 0.005, sample: 200 } }, []],
    ['any confirmed critical violation', { confirmedCriticalFindings: { value: 1, sample: 1 } }, ['critical_violation']],
    ['30 active minutes without an effective call', { activeMinutesWithoutEffectiveCall: 30 }, ['no_effective_call']],
    ['29 minutes', { activeMinutesWithoutEffectiveCall: 29.5 }, []],
    ['null value', { complaintRate: { value: null, sample: 0 } }, []],
  ])('default thresholds: %s', (_case, values, ids) => {
    const r = evaluateThresholds(emptyThresholdState(), [{ entity: agent, values }]);
    expect(r.alertsToRaise.map((a) => a.thresholdId)).toEqual(ids);
  });

  it('applies agent-only thresholds to agents only', () => {
    const agentOnly = DEFAULT_THRESHOLDS.map((t) => ({ ...t, entityKinds: ['agent' as const] }));
    const r = evaluateThresholds(emptyThresholdState(), [{ entity: { kind: 'group', id: 'g' }, values: { activeMinutesWithoutEffectiveCall: 90 } }], agentOnly);
    expect(r.alertsToRaise).toEqual([]);
  });

  it('judges the no-effective-call default at every level', () => {
    const kinds = ['agent', 'group', 'team', 'campaign'] as const;
    const r = evaluateThresholds(emptyThresholdState(), kinds.map((kind) => ({ entity: { kind, id: 'x' }, values: { activeMinutesWithoutEffectiveCall: 45 } })));
    expect(r.alertsToRaise.map((a) => a.entity.kind)).toEqual([...kinds]);
  });

  it('clears a critical-violation alert when the finding is dismissed and the count returns to 0', () => {
    const { raised, cleared } = run([
      { entity: agent, values: { confirmedCriticalFindings: 1 } },
      { entity: agent, values: { confirmedCriticalFindings: 2 } },
      { entity: agent, values: { confirmedCriticalFindings: 0 } },
    ]);
    expect(raised).toEqual([0]);
    expect(cleared).toEqual([2]);
  });

  it('reads its values straight from counters', () => {
    const counters = countersFrom({ calls: 100, complaints: 2, analysedCalls: 90, criticalFindings: 1, handledCalls: 60, earlyHangUps: 6 });
    const values = thresholdValuesFrom(counters);
    expect(values.complaintRate).toEqual({ value: 0.02, sample: 100 });
    expect(values.earlyHangUpRate).toEqual({ value: 0.1, sample: 60 });
    const r = evaluateThresholds(emptyThresholdState(), [{ entity: agent, values }]);
    expect(r.alertsToRaise.map((a) => a.thresholdId).sort()).toEqual(['complaint_rate', 'critical_violation']);
  });
});

describe('validateThresholds', () => {
  it('accepts the defaults', () => {
    expect(validateThresholds(DEFAULT_THRESHOLDS)).toEqual({ ok: true, thresholds: DEFAULT_THRESHOLDS });
  });

  it.each([
    [[{ ...DEFAULT_THRESHOLDS[1], clearAt: 0.4 }], '0.clearAt'],
    [[{ ...DEFAULT_THRESHOLDS[0], op: '!=' }], '0.op'],
    [[DEFAULT_THRESHOLDS[0], DEFAULT_THRESHOLDS[0]], '1.id'],
    [[{ ...DEFAULT_THRESHOLDS[0], entityKinds: ['robot'] }], '0.entityKinds.0'],
  ])('rejects a bad rule, naming %#: %s', (input, path) => {
    const r = validateThresholds(input);
    expect(!r.ok && r.issues.map((i) => i.path)).toContain(path);
  });
});

describe('thresholdsInForce', () => {
  it('uses the stored rules when valid, else the defaults with the reasons', () => {
    const rule = { id: 'qa', metric: 'qaScoreMean', op: '<', value: 70, severity: 'warning', description: 'QA below 70' };
    expect(thresholdsInForce(null)).toEqual({ rules: DEFAULT_THRESHOLDS, configured: false, issues: [] });
    expect(thresholdsInForce([rule])).toMatchObject({ rules: [rule], configured: true });
    const bad = thresholdsInForce([{ ...rule, op: '!=' }]);
    expect(bad.rules).toBe(DEFAULT_THRESHOLDS);
    expect(bad.issues[0]?.path).toBe('0.op');
  });
});
