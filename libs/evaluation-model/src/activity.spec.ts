import { activeMinutesWithoutEffectiveCall, type AgentCallSpan } from './activity.js';

const min = 60_000;
const call = (startMin: number, endMin: number, effective = false): AgentCallSpan => ({
  startedAt: startMin * min,
  endedAt: endMin * min,
  effective,
});

describe('activeMinutesWithoutEffectiveCall', () => {
  it.each<[string, AgentCallSpan[], number]>([
    ['no calls', [], 0],
    ['last call effective', [call(0, 1), call(2, 5, true)], 0],
    ['short calls for 31 minutes', [call(0, 1), call(5, 6), call(12, 13), call(20, 21), call(30, 31)], 31],
    ['counts from the end of the last effective call', [call(0, 3, true), call(4, 5), call(20, 33)], 30],
    ['a break longer than the idle gap restarts the count', [call(0, 1), call(10, 11), call(40, 41), call(50, 52)], 12],
    ['order of input does not matter', [call(30, 31), call(0, 1), call(12, 13), call(20, 21), call(5, 6)], 31],
  ])('%s', (_case, calls, expected) => {
    expect(activeMinutesWithoutEffectiveCall(calls)).toBeCloseTo(expected, 9);
  });

  it('takes the idle gap as an option', () => {
    const calls = [call(0, 1), call(10, 11), call(40, 41)];
    expect(activeMinutesWithoutEffectiveCall(calls, { idleGapMinutes: 30 })).toBeCloseTo(41, 9);
  });
});
