import { countersFrom } from './call-outcome-counters.js';
import { figureState, figureStates } from './figure-state.js';
import { DEFAULT_THRESHOLDS, type ThresholdRule } from './thresholds.js';

describe('figureState', () => {
  it.each([
    // metric, value, sample, expected
    ['earlyHangUpRate', 0.2, 100, 'good'],
    ['earlyHangUpRate', 0.25, 100, 'good'],
    ['earlyHangUpRate', 0.27, 100, 'warning'], // inside the 25%..30% hysteresis band
    ['earlyHangUpRate', 0.31, 100, 'alert'],
    ['earlyHangUpRate', 0.5, 19, 'below_min_sample'],
    ['earlyHangUpRate', null, 0, 'no_data'],
    ['complaintRate', 0.004, 200, 'good'],
    ['complaintRate', 0.006, 200, 'alert'],
    ['csatMean', 4.5, 30, 'good'],
    ['csatMean', 4.0, 30, 'warning'], // target >= 4.2 missed, no rule
    ['csatMean', 4.0, 5, 'below_min_sample'], // no rule: the default minimum of 20 applies
    ['averageHandleSeconds', 300, 100, 'unjudged'],
  ] as const)('%s = %s over %s -> %s', (metric, value, sample, expected) => {
    expect(figureState(metric, value, sample, 'agent', DEFAULT_THRESHOLDS).state).toBe(expected);
  });

  it('honours entity kinds: a team-only rule does not judge an agent', () => {
    const rules: ThresholdRule[] = [{ id: 'qa', metric: 'qaScoreMean', op: '<', value: 70, minSample: 5, severity: 'warning', entityKinds: ['team'], description: 'QA below 70' }];
    expect(figureState('qaScoreMean', 60, 10, 'team', rules).state).toBe('alert');
    expect(figureState('qaScoreMean', 60, 10, 'agent', rules).state).toBe('unjudged');
    expect(figureState('qaScoreMean', 60, 10, 'team', rules)).toMatchObject({ alertAt: 70, minSample: 5 });
  });

  it('judges every metric of counters', () => {
    const states = figureStates(countersFrom({ calls: 40, handledCalls: 40, connectedCalls: 40, earlyHangUps: 16 }), 'group', DEFAULT_THRESHOLDS);
    expect(states.earlyHangUpRate).toMatchObject({ value: 0.4, sample: 40, state: 'alert', alertAt: 0.3, target: 0.25 });
    expect(states.csatMean.state).toBe('no_data');
  });
});
