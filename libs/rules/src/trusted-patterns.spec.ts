import { compileRulePack } from './rule-compiler.js';
import { runRules } from './rule-engine.js';
import { RulePackValidationError, validateRulePack } from './rule-pack.validator.js';

const lookbehind = '(?<!not )guaranteed';
const pack = (regex: string) => ({
  id: 'fork',
  version: '1.0.0',
  language: 'en',
  rules: [{ id: 'r1', version: 1, family: 'guaranteed_returns', severity: 'critical', dimension: 'compliance', description: 'd', regulation: 'r', match: { regex } }],
});

describe('trusted patterns (a fork keeps the shipped regexes; anything else runs on the linear engine)', () => {
  it('refuses lookbehind on the linear engine, naming the field', () => {
    expect(() => validateRulePack(pack(lookbehind))).toThrow(RulePackValidationError);
    expect(() => validateRulePack(pack(lookbehind))).toThrow(/rules\.0\.match\.regex/);
  });

  it('accepts the same source when it is trusted, and it runs natively', () => {
    const compiled = compileRulePack([pack(lookbehind)] as never, { trustedPatterns: new Set([lookbehind]) });
    const hits = runRules(compiled, { provider: 'test', rolesSource: 'channel', segments: [{ speaker: 'agent', start: 0, end: 3, text: 'returns are guaranteed' }, { speaker: 'agent', start: 3, end: 6, text: 'not guaranteed' }] });
    expect(hits.map((h) => h.evidence?.segmentIndex)).toEqual([0]);
  });

  it('trusts only the exact source: an edited pattern is checked again', () => {
    expect(() => validateRulePack(pack(`${lookbehind}!`), { trustedPatterns: new Set([lookbehind]) })).toThrow(/rules\.0\.match\.regex: regular expression refused/);
  });
});
