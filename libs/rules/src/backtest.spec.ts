import type { FindingDraft } from '#libs/domain';
import { summariseBacktest } from './backtest.js';

const hit = (ruleId: string, segmentIndex?: number): FindingDraft => ({
  dedupeKey: `${ruleId}:${segmentIndex}`,
  source: 'rule',
  ruleId,
  ruleVersion: '2',
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: 'd',
  ...(segmentIndex === undefined ? {} : { evidence: { segmentIndex, text: 'guaranteed', startSeconds: segmentIndex, endSeconds: segmentIndex + 1 } }),
});

describe('summariseBacktest', () => {
  const rules = [{ id: 'draft.gr', family: 'guaranteed_returns', version: 2 }, { id: 'draft.none', version: 1 }];

  it('counts hits, examples and precision against reviews of the same family in the same segment', () => {
    const report = summariseBacktest(
      rules,
      [
        {
          callId: 'c1',
          hits: [hit('draft.gr', 1), hit('draft.gr', 4)],
          reviewed: [
            { ruleId: 'en.guaranteed_returns.explicit', family: 'guaranteed_returns', reviewState: 'confirmed', evidence: { segmentIndex: 1 } },
            { ruleId: 'en.guaranteed_returns.explicit', family: 'guaranteed_returns', reviewState: 'dismissed', evidence: { segmentIndex: 4 } },
          ],
        },
        {
          callId: 'c2',
          hits: [hit('draft.gr', 0)],
          reviewed: [{ ruleId: 'x', family: 'guaranteed_returns', reviewState: 'confirmed', evidence: { segmentIndex: 0 } }],
        },
        {
          callId: 'c3',
          hits: [],
          reviewed: [{ ruleId: 'x', family: 'guaranteed_returns', reviewState: 'confirmed', evidence: { segmentIndex: 2 } }],
        },
        { callId: 'c4', hits: [], reviewed: [] },
      ],
      2,
    );
    expect(report.calls).toBe(4);
    expect(report.callsWithHits).toBe(2);
    const gr = report.rules.find((r) => r.ruleId === 'draft.gr');
    expect(gr).toMatchObject({ hits: 3, callsWithHits: 2, reviewed: { confirmed: 2, dismissed: 1, confirmedMissed: 1 } });
    expect(gr?.reviewed.precision).toBeCloseTo(2 / 3);
    expect(gr?.examples).toHaveLength(2);
    expect(gr?.examples[0]).toMatchObject({ callId: 'c1', segmentIndex: 1, text: 'guaranteed' });
    expect(report.rules.find((r) => r.ruleId === 'draft.none')).toMatchObject({ hits: 0, reviewed: { precision: null } });
  });

  it('matches a whole-call (required-phrase) hit to a whole-call review of the same rule', () => {
    const report = summariseBacktest(
      [{ id: 'draft.notice', family: 'missing_recording_notice', version: 1 }],
      [{ callId: 'c1', hits: [hit('draft.notice')], reviewed: [{ ruleId: 'draft.notice', reviewState: 'dismissed' }] }],
    );
    expect(report.rules[0]?.reviewed).toMatchObject({ confirmed: 0, dismissed: 1, precision: 0 });
  });
});
