import type { NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { compileRulePack } from './rule-compiler.js';
import { runRules } from './rule-engine.js';
import type { RulePackInput } from './rule-pack.schema.js';
import { validateRulePack } from './rule-pack.validator.js';
import { loadShippedPacks } from '#libs/rule-packs';

const base = { version: 1, severity: 'critical', dimension: 'compliance', description: 'd', regulation: 'r' } as const;

const testPack: RulePackInput = {
  id: 'test',
  version: '2.1.0',
  language: 'any',
  negation: {
    before: ['not', 'cant', 'dont', 'no one', '不能', '无法'],
    adjacentBefore: ['不'],
    after: ['is not possible'],
    breakers: ['dont worry'],
  },
  rules: [
    { ...base, id: 'phrase', family: 'guaranteed_returns', speaker: 'agent', negationAware: true, match: { phrases: ['guaranteed returns', '保证收益', '保本'] } },
    { ...base, id: 'regex', family: 'pressure_tactics', speaker: 'agent', match: { regex: 'only \\d+ spots left', anchors: ['only'] } },
    { ...base, id: 'near', family: 'guaranteed_returns', speaker: 'agent', match: { near: [{ phrases: ['promise'] }, { phrases: ['profit'] }], within: 3, unit: 'words' } },
    { ...base, id: 'bool', family: 'abusive_language', speaker: 'any', match: { all: [{ phrases: ['idiot'] }, { not: { phrases: ['not an idiot'] } }] } },
    { ...base, id: 'customer-only', family: 'opt_out_request', speaker: 'customer', match: { phrases: ['stop calling'] } },
    { ...base, id: 'late', family: 'pressure_tactics', speaker: 'any', time: { last: 10 }, match: { phrases: ['sign today'] } },
    { ...base, id: 'notice', family: 'missing_recording_notice', speaker: 'any', time: { first: 30 }, required: true, match: { phrases: ['call is recorded', '录音'] } },
    {
      ...base,
      id: 'disclosure',
      family: 'missing_risk_disclosure',
      speaker: 'agent',
      required: true,
      when: { phrases: ['fund'] },
      match: { phrases: ['risk'] },
    },
  ],
};

const compiled = compileRulePack(validateRulePack(testPack));

function call(...segments: Array<[TranscriptSegment['speaker'], number, string]>): NormalisedTranscript {
  return {
    provider: 'test',
    rolesSource: 'channel',
    segments: segments.map(([speaker, start, text]) => ({ speaker, start, end: start + 5, text })),
  };
}

function ids(t: NormalisedTranscript, opts = {}): string[] {
  return runRules(compiled, t, opts).map((f) => f.ruleId).sort();
}

const notice: [TranscriptSegment['speaker'], number, string] = ['agent', 0, 'this call is recorded'];

describe('runRules', () => {
  it.each([
    ['phrase', 'These are guaranteed returns.', ['phrase']],
    ['negated phrase', "I can't offer guaranteed returns.", []],
    ['negation through a breaker', "Don't worry, guaranteed returns.", ['phrase']],
    ['negation does not cross a clause', 'No. These are guaranteed returns.', ['phrase']],
    ['after-negation', 'guaranteed returns is not possible', []],
    ['Chinese phrase', '这个产品保证收益', ['phrase']],
    ['Chinese negation', '我们不能保证收益', []],
    ['Chinese adjacent negation', '这个产品不保本', []],
    ['traditional Chinese', '這個產品保證收益', ['phrase']],
    ['full width', 'ＧＵＡＲＡＮＴＥＥＤ　ＲＥＴＵＲＮＳ', ['phrase']],
    ['contraction spelled out', 'I do not offer guaranteed returns', []],
    ['regex', 'there are only 3 spots left', ['regex']],
    ['regex without its shape', 'only you know', []],
    ['proximity within', 'I promise you a profit', ['near']],
    ['proximity too far', 'I promise that in the long run you may see a profit', []],
    ['boolean and-not', 'you idiot', ['bool']],
    ['boolean and-not excluded', 'you are not an idiot', []],
    ['word boundary', 'guaranteed returnsx', []],
  ])('%s', (_name, text, expected) => {
    expect(ids(call(notice, ['agent', 40, text]))).toEqual(expected);
  });

  it('respects speaker scope', () => {
    expect(ids(call(notice, ['customer', 40, 'please stop calling']))).toEqual(['customer-only']);
    expect(ids(call(notice, ['agent', 40, 'please stop calling']))).toEqual([]);
    expect(ids(call(notice, ['unknown', 40, 'please stop calling']))).toEqual(['customer-only']);
    expect(ids(call(notice, ['unknown', 40, 'please stop calling']), { unknownSpeakerMatches: false })).toEqual([]);
    expect(ids(call(notice, ['customer', 40, 'guaranteed returns']))).toEqual([]);
  });

  it('respects time scope (last N seconds)', () => {
    expect(ids(call(notice, ['agent', 40, 'sign today']), { callDurationSeconds: 100 })).toEqual([]);
    expect(ids(call(notice, ['agent', 95, 'sign today']), { callDurationSeconds: 100 })).toEqual(['late']);
  });

  it('flags a required phrase that is absent or outside its window, not one that is present', () => {
    expect(ids(call(['agent', 5, 'hello']))).toEqual(['notice']);
    expect(ids(call(['agent', 45, 'this call is recorded']))).toEqual(['notice']);
    expect(ids(call(['agent', 5, 'hello, this call is recorded']))).toEqual([]);
    expect(ids(call(['agent', 5, '本次通话将被錄音']))).toEqual([]);
    const absent = runRules(compiled, call(['agent', 5, 'hello'])).find((f) => f.ruleId === 'notice');
    expect(absent?.dedupeKey).toBe('rule:notice:absent');
    expect(absent?.evidence).toEqual({ startSeconds: 0, endSeconds: 10 });
  });

  it('applies a conditional requirement only once its trigger occurs', () => {
    expect(ids(call(notice, ['agent', 10, 'how are you']))).toEqual([]);
    expect(ids(call(notice, ['agent', 10, 'this fund is great']))).toEqual(['disclosure']);
    expect(ids(call(notice, ['agent', 10, 'this fund is great']), { callDurationSeconds: 60 })).toEqual(['disclosure']);
    expect(ids(call(notice, ['agent', 10, 'this fund is great'], ['agent', 20, 'it carries risk']))).toEqual([]);
  });

  it('reports evidence in original characters and seconds, with stable keys and versions', () => {
    const text = 'Well, THESE are Guaranteed   Returns!';
    const [f] = runRules(compiled, call(notice, ['agent', 40, text]));
    expect(f).toMatchObject({
      source: 'rule',
      ruleId: 'phrase',
      ruleVersion: 'test@2.1.0#1',
      family: 'guaranteed_returns',
      severity: 'critical',
      dimension: 'compliance',
      dedupeKey: 'rule:phrase:1:16',
      evidence: { segmentIndex: 1, charStart: 16, charEnd: 36, startSeconds: 40, endSeconds: 45, text: 'Guaranteed   Returns' },
    });
    expect(runRules(compiled, call(notice, ['agent', 40, text]))).toEqual(runRules(compiled, call(notice, ['agent', 40, text])));
  });

  it('narrows evidence seconds with word timings', () => {
    const t = call(notice);
    t.segments.push({
      speaker: 'agent',
      start: 40,
      end: 46,
      text: 'these are guaranteed returns',
      words: [
        { w: 'these', start: 40, end: 40.5 },
        { w: 'are', start: 40.5, end: 41 },
        { w: 'guaranteed', start: 41.2, end: 42 },
        { w: 'returns', start: 42, end: 42.6 },
      ],
    });
    expect(runRules(compiled, t)[0]?.evidence).toMatchObject({ startSeconds: 41.2, endSeconds: 42.6 });
  });

  it('returns nothing for an empty transcript', () => {
    expect(runRules(compiled, call())).toEqual([]);
  });
});

describe('shipped packs', () => {
  const shipped = compileRulePack(loadShippedPacks(), { patterns: 'native' });
  const families = (speaker: TranscriptSegment['speaker'], text: string, language?: string) =>
    [
      ...new Set(
        runRules(shipped, { provider: 't', rolesSource: 'channel', segments: [{ speaker, start: 40, end: 45, text }] }, language ? { language } : {})
          .filter((f) => !f.dedupeKey.endsWith(':absent'))
          .map((f) => f.family),
      ),
    ];

  it.each([
    ['agent', '为了保证您的账户安全，请不要透露验证码', []],
    ['customer', '我要退订这个套餐', []],
    ['agent', '这款产品保本保收益', ['guaranteed_returns']],
    ['agent', "I can't guarantee returns", []],
    ['customer', '不要再联系我', ['opt_out_request']],
  ] as const)('%s: %s', (speaker, text, expected) => {
    expect(families(speaker, text)).toEqual(expected);
  });

  it('flags a missing identification, recording notice and risk disclosure in the language of the call', () => {
    const t: NormalisedTranscript = {
      provider: 't',
      rolesSource: 'channel',
      segments: [
        { speaker: 'agent', start: 0, end: 5, text: 'Hi there, how are you today?' },
        { speaker: 'agent', start: 40, end: 45, text: 'This fund returned 7% last year.' },
      ],
    };
    const missing = runRules(shipped, t).filter((f) => f.dedupeKey.endsWith(':absent')).map((f) => f.family).sort();
    expect(missing).toEqual(['missing_agent_identification', 'missing_recording_notice', 'missing_risk_disclosure']);
    t.segments[0] = { speaker: 'agent', start: 0, end: 8, text: 'Hi, my name is Anna from Summit Capital, this call is recorded.' };
    t.segments.push({ speaker: 'agent', start: 50, end: 55, text: 'Past performance is no guarantee; you could lose money.' });
    expect(runRules(shipped, t).filter((f) => f.dedupeKey.endsWith(':absent'))).toEqual([]);
  });
});

describe('rule policies and superseded families', () => {
  const pack: RulePackInput = {
    id: 'policy',
    version: '1.0.0',
    language: 'any',
    rules: [
      { ...base, id: 'always', family: 'opt_out_request', speaker: 'customer', match: { phrases: ['stop calling'] } },
      { ...base, id: 'complaint', family: 'opt_out_request', speaker: 'customer', policy: 'complaint_as_opt_out', match: { phrases: ['keep calling'] } },
      { ...base, id: 'strong', family: 'guaranteed_returns', speaker: 'agent', match: { phrases: ['guaranteed'] } },
      { ...base, id: 'weak', family: 'implied_guarantee', severity: 'major', speaker: 'agent', yieldsTo: ['guaranteed_returns'], match: { phrases: ['low risk'] } },
    ],
  };
  const c = compileRulePack(validateRulePack(pack));
  const run = (t: NormalisedTranscript, policies?: string[]) => runRules(c, t, policies ? { policies } : {}).map((f) => f.ruleId).sort();

  it('runs a policy rule only when the caller enables its policy', () => {
    const t = call(['customer', 0, 'why do you keep calling'], ['customer', 6, 'stop calling me']);
    expect(run(t)).toEqual(['always']);
    expect(run(t, ['complaint_as_opt_out'])).toEqual(['always', 'complaint']);
    expect(run(t, ['some_other_policy'])).toEqual(['always']);
  });

  it('drops a yielding finding where the stronger family was found in the same segment, and keeps it elsewhere', () => {
    const t = call(['agent', 0, 'low risk and guaranteed'], ['agent', 6, 'it is low risk']);
    const findings = runRules(c, t);
    expect(findings.map((f) => [f.ruleId, f.evidence?.segmentIndex])).toEqual([
      ['strong', 0],
      ['weak', 1],
    ]);
  });

  it('rejects a policy that is not one of RULE_POLICIES', () => {
    const bad = { ...pack, rules: [{ ...base, id: 'x', family: 'opt_out_request', policy: 'complaints_count', match: { phrases: ['a'] } }] };
    expect(() => validateRulePack(bad)).toThrow(/policy/);
  });
});

describe('trigger leaves of conditions that must all hold', () => {
  const pack: RulePackInput = {
    id: 'triggers',
    version: '1.0.0',
    language: 'any',
    rules: [
      { ...base, id: 'not-first', family: 'pressure_tactics', match: { all: [{ not: { phrases: ['maybe'] } }, { phrases: ['sign now'] }] } },
      { ...base, id: 'context-last', family: 'guaranteed_returns', match: { all: [{ phrases: ['promise'] }, { phrases: ['fund', 'return'] }] } },
    ],
  };
  const c = compileRulePack(validateRulePack(pack));

  it('still finds a rule whose first condition is a negation, through the next one', () => {
    expect(runRules(c, call(['agent', 0, 'please sign now'])).map((f) => f.ruleId)).toEqual(['not-first']);
    expect(runRules(c, call(['agent', 0, 'maybe sign now'])).map((f) => f.ruleId)).toEqual([]);
  });

  it('needs every condition in the same segment even though only the first one picks the segments', () => {
    expect(runRules(c, call(['agent', 0, 'I promise'], ['agent', 6, 'this fund']))).toEqual([]);
    expect(runRules(c, call(['agent', 0, 'I promise this fund'])).map((f) => f.ruleId)).toEqual(['context-last']);
  });

  it('points the evidence at the first condition, not at a context word found earlier in the segment', () => {
    const [finding] = runRules(c, call(['agent', 0, 'This fund, I promise you.']));
    expect(finding?.evidence?.text).toBe('promise');
  });
});

describe('patterns from untrusted packs (API drafts) run in linear time', () => {
  const withRegex = (regex: string): RulePackInput => ({
    id: 'draft',
    version: '0.0.0',
    language: 'any',
    rules: [{ ...base, id: 'redos', family: 'pressure_tactics', speaker: 'any', match: { regex } }],
  });
  const catastrophic = withRegex('(a+)+c');

  it('matches (a+)+c over a long run of a without backtracking (V8 took minutes at 34 characters)', () => {
    const c = compileRulePack(validateRulePack(catastrophic));
    const started = performance.now();
    expect(runRules(c, call(['agent', 0, 'a'.repeat(34)], ['agent', 5, `${'a'.repeat(5000)}c`])).map((f) => f.evidence?.segmentIndex)).toEqual([1]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses lookaround and backreferences, naming the field, unless the pack is trusted', () => {
    const lookbehind = withRegex('(?<!not )guaranteed');
    expect(() => validateRulePack(lookbehind)).toThrow(/rules\.0\.match\.regex: regular expression refused/);
    expect(() => validateRulePack(withRegex('(a)\\1'))).toThrow(/rules\.0\.match\.regex/);
    expect(validateRulePack(lookbehind, { patterns: 'native' }).rules).toHaveLength(1);
  });

  it('reports matches at the same UTF-16 offsets as the native engine, Chinese and astral text included', () => {
    const pack = (patterns: 'linear' | 'native') =>
      compileRulePack(validateRulePack(withRegex('本金[^|\\n]{0,8}返还|\\bonly \\d+ left'), { patterns }), { patterns });
    const t = call(['agent', 0, '😀 only 3 left, 你的本金会全额返还']);
    const evidence = (c: ReturnType<typeof pack>) => runRules(c, t).map((f) => f.evidence);
    expect(evidence(pack('linear'))).toEqual(evidence(pack('native')));
    expect(evidence(pack('linear'))).toHaveLength(1);
  });
});
