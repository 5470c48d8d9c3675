import { metadataFlags, type FindingForFlags } from './metadata-flags.js';

const f = (ruleId: string, extra: Partial<FindingForFlags> = {}): FindingForFlags => ({ source: 'metadata', ruleId, reviewState: 'pending', ...extra });

describe('metadataFlags', () => {
  it.each([
    ['opted_out_number', { optedOutNumber: true, outOfHours: false, dialFrequencyBreach: false }],
    ['tcpa.do_not_call', { optedOutNumber: true, outOfHours: false, dialFrequencyBreach: false }],
    ['outside_calling_hours', { optedOutNumber: false, outOfHours: true, dialFrequencyBreach: false }],
    ['dial_frequency', { optedOutNumber: false, outOfHours: false, dialFrequencyBreach: true }],
  ])('%s', (ruleId, expected) => {
    expect(metadataFlags([f(ruleId)])).toEqual(expected);
  });

  it('ignores dismissed findings and speech findings', () => {
    expect(metadataFlags([f('dial_frequency', { reviewState: 'dismissed' }), f('opted_out_number', { source: 'rule' })])).toEqual({
      optedOutNumber: false,
      outOfHours: false,
      dialFrequencyBreach: false,
    });
  });

  it('matches on family as well as rule id', () => {
    expect(metadataFlags([f('meta-7', { family: 'calling_hours' })]).outOfHours).toBe(true);
  });
});
