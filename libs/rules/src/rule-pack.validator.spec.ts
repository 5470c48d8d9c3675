import { loadShippedPacks } from '#libs/rule-packs';
import { parseRulePack } from './rule-pack.parser.js';
import { RulePackValidationError, validateRulePack } from './rule-pack.validator.js';

const rule = {
  id: 'r1',
  version: 1,
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: 'd',
  regulation: 'r',
  match: { phrases: ['x'] },
};

function issuesOf(input: unknown): string[] {
  try {
    validateRulePack(input);
  } catch (err) {
    if (err instanceof RulePackValidationError) return err.issues;
    throw err;
  }
  return [];
}

describe('validateRulePack', () => {
  it('accepts a minimal pack and fills defaults', () => {
    const pack = validateRulePack({ id: 'p', version: '1.0.0', language: 'en', rules: [rule] });
    expect(pack.rules[0]).toMatchObject({ speaker: 'any', required: false, negationAware: false, enabled: true });
  });

  it.each([
    ['bad family', { ...rule, family: 'nope' }, 'rules.0.family'],
    ['bad severity', { ...rule, severity: 'huge' }, 'rules.0.severity'],
    ['bad regex', { ...rule, match: { regex: '(' } }, 'rules.0.match.regex'],
    ['bare not', { ...rule, match: { not: { phrases: ['x'] } } }, 'rules.0.match'],
    ['when without required', { ...rule, when: { phrases: ['y'] } }, 'rules.0.when'],
    ['unknown field', { ...rule, colour: 'red' }, 'rules.0'],
  ])('names the bad field: %s', (_name, bad, path) => {
    const issues = issuesOf({ id: 'p', version: '1.0.0', language: 'en', rules: [bad] });
    expect(issues.some((i) => i.startsWith(path))).toBe(true);
  });

  it('rejects duplicate rule ids and a bad version', () => {
    expect(issuesOf({ id: 'p', version: '1.0.0', language: 'en', rules: [rule, rule] })).toEqual(['rules.1.id: duplicate rule id "r1"']);
    expect(issuesOf({ id: 'p', version: 'v1', language: 'en', rules: [rule] })[0]).toMatch(/^version:/);
  });

  it('parses YAML and names the source on errors', () => {
    expect(parseRulePack('id: p\nversion: 1.0.0\nlanguage: en\nrules:\n  - id: a\n    version: 1\n    family: opt_out_request\n    severity: major\n    dimension: compliance\n    description: d\n    regulation: r\n    match: { phrases: [stop] }\n', 'yaml').rules).toHaveLength(1);
    expect(() => parseRulePack('id: [', 'yaml', 'x.yaml')).toThrow(/x\.yaml: not valid yaml/);
  });

  it('loads the shipped packs, each rule citing a regulation', () => {
    const packs = loadShippedPacks();
    expect(packs.map((p) => p.language).sort()).toEqual(['en', 'zh']);
    for (const p of packs) for (const r of p.rules) expect(r.regulation.length).toBeGreaterThan(5);
  });
});
