import { ScorecardValidationError } from './scorecard-validation.error.js';
import { parseScorecard, validateScorecard } from './scorecard.schema.js';

const criterion = (source: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'c1',
  label: 'C1',
  weight: 10,
  critical: false,
  source,
  ...extra,
});
const card = (...criteria: unknown[]) => ({ name: 'card', version: 1, criteria });

describe('validateScorecard', () => {
  it('accepts every source kind and returns a typed scorecard', () => {
    const result = validateScorecard(
      card(
        criterion({ kind: 'finding_absent', families: ['guaranteed_returns'] }),
        criterion({ kind: 'metric', metric: 'agentTalkShare', op: 'between', min: 0.2, max: 0.4 }, { id: 'c2' }),
        criterion({ kind: 'metric', metric: 'talkRatioWithinTarget', op: '==', value: true }, { id: 'c3' }),
        criterion({ kind: 'llm', questionId: 'q1', passWhen: 'no' }, { id: 'c4', critical: true }),
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.scorecard.criteria.map((c) => c.source.kind)).toEqual(['finding_absent', 'metric', 'metric', 'llm']);
  });

  it.each([
    ['missing name', { version: 1, criteria: [criterion({ kind: 'llm', questionId: 'q' })] }, 'name'],
    ['version not a positive integer', { name: 'x', version: 1.5, criteria: [criterion({ kind: 'llm', questionId: 'q' })] }, 'version'],
    ['no criteria', card(), 'criteria'],
    ['negative weight', card(criterion({ kind: 'llm', questionId: 'q' }, { weight: -1 })), 'criteria.0.weight'],
    ['all weights zero', card(criterion({ kind: 'llm', questionId: 'q' }, { weight: 0 })), 'criteria'],
    ['critical not boolean', card(criterion({ kind: 'llm', questionId: 'q' }, { critical: 'yes' })), 'criteria.0.critical'],
    [
      'duplicate id',
      card(criterion({ kind: 'llm', questionId: 'q' }), criterion({ kind: 'llm', questionId: 'r' })),
      'criteria.1.id',
    ],
    ['unknown source kind', card(criterion({ kind: 'vibes' })), 'criteria.0.source.kind'],
    ['finding_absent naming nothing', card(criterion({ kind: 'finding_absent', families: [] })), 'criteria.0.source.families'],
    ['unknown metric', card(criterion({ kind: 'metric', metric: 'happiness', op: '<=', value: 1 })), 'criteria.0.source.metric'],
    ['string metric', card(criterion({ kind: 'metric', metric: 'source', op: '==', value: 1 })), 'criteria.0.source.metric'],
    ['between without max', card(criterion({ kind: 'metric', metric: 'silenceShare', op: 'between', min: 0 })), 'criteria.0.source.max'],
    [
      'between min above max',
      card(criterion({ kind: 'metric', metric: 'silenceShare', op: 'between', min: 0.5, max: 0.1 })),
      'criteria.0.source.max',
    ],
    ['numeric metric without value', card(criterion({ kind: 'metric', metric: 'deadAirCount', op: '<=' })), 'criteria.0.source.value'],
    ['boolean metric with <=', card(criterion({ kind: 'metric', metric: 'effectiveCall', op: '<=', value: true })), 'criteria.0.source.op'],
    ['boolean metric with a number', card(criterion({ kind: 'metric', metric: 'earlyHangUp', op: '==', value: 0 })), 'criteria.0.source.value'],
    ['llm without question', card(criterion({ kind: 'llm' })), 'criteria.0.source.questionId'],
    ['llm passWhen maybe', card(criterion({ kind: 'llm', questionId: 'q', passWhen: 'maybe' })), 'criteria.0.source.passWhen'],
    ['misspelt key', card(criterion({ kind: 'finding_absent', familes: ['x'], ruleIds: ['r'] })), 'criteria.0.source'],
    ['not an object', 'scorecard', ''],
  ])('rejects %s, naming %s', (_case, input, path) => {
    const result = validateScorecard(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.path)).toContain(path);
  });

  it('parseScorecard throws an error listing each issue by field', () => {
    const bad = card(criterion({ kind: 'metric', metric: 'deadAirCount', op: '<=' }, { weight: -2 }));
    expect(() => parseScorecard(bad)).toThrow(ScorecardValidationError);
    expect(() => parseScorecard(bad)).toThrow(/criteria\.0\.weight: .*\n.*criteria\.0\.source\.value: /);
  });
});
