import { RuleCatalogError } from './rule-catalog.errors.js';
import { diffRulePacks } from './rule-pack-diff.js';
import { prepareDraft, regexSources, testOnText } from './rule-pack-draft.js';

const rule = (id: string, match: unknown, extra: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: `rule ${id}`,
  regulation: 'r',
  match,
  ...extra,
});
const NONE = new Set<string>();

function problemsOf(input: unknown): string[] {
  try {
    prepareDraft(input, 'acme.en', '1.0.0', 'body.pack', NONE);
  } catch (error) {
    if (error instanceof RuleCatalogError) return error.problems;
    throw error;
  }
  return [];
}

describe('prepareDraft', () => {
  it('fills in the key and version', () => {
    const pack = prepareDraft({ language: 'en', rules: [rule('a', { phrases: ['guaranteed'] })] }, 'acme.en', '3.0.0', 'body.pack', NONE);
    expect(pack).toMatchObject({ id: 'acme.en', version: '3.0.0' });
  });

  it.each([
    [{ language: 'en', rules: [rule('a', { phrases: ['ok', ''] })] }, 'body.pack.rules.0.match.phrases.1'],
    [{ language: 'en', rules: [rule('a', { phrases: ['x'] }), rule('b', { regex: '(?<=a)b' })] }, 'body.pack.rules.1.match.regex: regular expression refused'],
    [{ language: 'en', rules: [rule('a', { phrases: ['x'] }), rule('a', { phrases: ['y'] })] }, 'body.pack.rules.1.id: duplicate rule id'],
    [{ language: 'xx', rules: [rule('a', { phrases: ['x'] })] }, 'body.pack.language'],
    [{ id: 'other', language: 'en', rules: [rule('a', { phrases: ['x'] })] }, 'body.pack.id: must be the pack\'s key "acme.en"'],
    [{ language: 'en', rules: [rule('a', { phrases: ['x'] }, { time: { first: -3 } })] }, 'body.pack.rules.0.time'],
  ])('names the bad field (%#)', (input, expected) => {
    expect(problemsOf(input).join('\n')).toContain(expected);
  });
});

describe('testOnText', () => {
  it('returns matches with spans in the original text, per speaker scope', () => {
    const pack = prepareDraft(
      { language: 'en', rules: [rule('promise', { phrases: ['guaranteed returns'] }, { speaker: 'agent' })] },
      'acme.en',
      '1.0.0',
      'p',
      NONE,
    );
    const matches = testOnText(pack, [
      { speaker: 'customer', text: 'Are these guaranteed returns?' },
      { speaker: 'agent', text: 'Yes, Guaranteed Returns of 8%.' },
    ], NONE);
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ ruleId: 'promise', segmentIndex: 1, charStart: 5, charEnd: 23, text: 'Guaranteed Returns', absent: false });
  });

  it('reports a required phrase that is absent as a whole-call match without a span', () => {
    const pack = prepareDraft(
      { language: 'en', rules: [rule('notice', { phrases: ['this call is recorded'] }, { required: true, speaker: 'agent', time: { first: 30 } })] },
      'acme.en',
      '1.0.0',
      'p',
      NONE,
    );
    const matches = testOnText(pack, [{ speaker: 'agent', text: 'Hello, how are you?' }], NONE, 'en');
    expect(matches).toMatchObject([{ ruleId: 'notice', absent: true, charStart: null }]);
    expect(testOnText(pack, [{ speaker: 'agent', text: 'Hello, this call is recorded.' }], NONE, 'en')).toEqual([]);
  });
});

describe('diffRulePacks and regexSources', () => {
  const base = prepareDraft({ language: 'en', rules: [rule('a', { phrases: ['x'] }), rule('b', { regex: 'y+' })] }, 'k', '1.0.0', 'p', NONE);
  it('lists added, removed and changed rules with the fields that changed', () => {
    const next = prepareDraft({ language: 'en', rules: [rule('a', { phrases: ['x', 'z'] }, { severity: 'major' }), rule('c', { phrases: ['w'] })] }, 'k', '2.0.0', 'p', NONE);
    expect(diffRulePacks(base, next)).toEqual({ added: ['c'], removed: ['b'], changed: [{ ruleId: 'a', fields: ['match', 'severity'] }], packFields: [] });
    expect(diffRulePacks(base, base)).toEqual({ added: [], removed: [], changed: [], packFields: [] });
  });
  it('finds regexes wherever they are nested', () => {
    const nested = prepareDraft({ language: 'en', rules: [rule('n', { all: [{ phrases: ['a'] }, { any: [{ regex: 'q1' }, { near: [{ regex: 'q2' }, { phrases: ['b'] }], within: 3 }] }] })] }, 'k', '1.0.0', 'p', NONE);
    expect(regexSources(nested).sort()).toEqual(['q1', 'q2']);
    expect(regexSources(base)).toEqual(['y+']);
  });
});
