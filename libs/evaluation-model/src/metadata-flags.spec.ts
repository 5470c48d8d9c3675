import { metadataFlags, type FindingForFlags } from './metadata-flags.js';

const f = (family: string | null, extra: Partial<FindingForFlags> = {}): FindingForFlags => ({
  source: 'metadata',
  ruleId: `metadata.${family}`,
  family,
  reviewState: 'pending',
  ...extra,
});

describe('metadataFlags', () => {
  it.each([
    ['opted_out_number_called', { optedOutNumber: true, outOfHours: false, dialFrequencyBreach: false }],
    ['called_after_stop_request', { optedOutNumber: true, outOfHours: false, dialFrequencyBreach: false }],
    ['outside_calling_hours', { optedOutNumber: false, outOfHours: true, dialFrequencyBreach: false }],
    ['excess_dial_frequency', { optedOutNumber: false, outOfHours: false, dialFrequencyBreach: true }],
    ['guaranteed_returns', { optedOutNumber: false, outOfHours: false, dialFrequencyBreach: false }],
  ])('%s', (family, expected) => {
    expect(metadataFlags([f(family)])).toEqual(expected);
  });

  it('ignores dismissed findings, speech findings and findings without a family', () => {
    const findings = [
      f('excess_dial_frequency', { reviewState: 'dismissed' }),
      f('opted_out_number_called', { source: 'rule' }),
      f(null),
    ];
    expect(metadataFlags(findings)).toEqual({ optedOutNumber: false, outOfHours: false, dialFrequencyBreach: false });
  });

  it('combines the flags of several findings', () => {
    expect(metadataFlags([f('outside_calling_hours'), f('excess_dial_frequency')])).toEqual({
      optedOutNumber: false,
      outOfHours: true,
      dialFrequencyBreach: true,
    });
  });
});
