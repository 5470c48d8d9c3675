import { countersFrom } from './call-outcome-counters.js';
import { judgeLevelDays } from './level-judgement.js';
import { DEFAULT_THRESHOLDS, emptyThresholdState } from './thresholds.js';

const MIN = 60_000;
const call = (startMin: number, lengthMin: number, effective: boolean) => ({ startedAt: startMin * MIN, endedAt: (startMin + lengthMin) * MIN, effective });

describe('judgeLevelDays', () => {
  it('raises the hang-up alert for a team and the activity alert for a group, each once', () => {
    const team = { entity: { kind: 'team', id: 't1' } as const, counters: countersFrom({ calls: 40, handledCalls: 40, connectedCalls: 40, earlyHangUps: 14 }), activity: [] };
    // two agents of a group take turns on short calls for 35 minutes: no effective call by either
    const group = {
      entity: { kind: 'group', id: 'g1' } as const,
      counters: countersFrom({ calls: 8 }),
      activity: [0, 5, 10, 15, 20, 25, 30].map((m) => call(m, 5, false)),
    };
    const first = judgeLevelDays(emptyThresholdState(), [team, group], '2026-12-01', DEFAULT_THRESHOLDS);
    expect(first.alertsToRaise.map((a) => `${a.entity.kind}:${a.thresholdId}`).sort()).toEqual(['group:no_effective_call', 'team:early_hang_up_rate']);
    const again = judgeLevelDays(first.nextState, [team, group], '2026-12-01', DEFAULT_THRESHOLDS);
    expect(again.alertsToRaise).toEqual([]);
  });

  it('an effective call by any member resets the group streak', () => {
    const group = {
      entity: { kind: 'campaign', id: 'c1' } as const,
      counters: countersFrom({ calls: 8 }),
      activity: [call(0, 5, false), call(5, 5, false), call(10, 5, false), call(15, 3, true), call(18, 5, false), call(23, 5, false), call(28, 5, false), call(33, 5, false)],
    };
    expect(judgeLevelDays(emptyThresholdState(), [group], '2026-12-01', DEFAULT_THRESHOLDS).alertsToRaise).toEqual([]);
  });
});
