import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateLabelled, formatEvalReport, parseLabelledJsonl, splitPart } from './labelled-eval.js';
import { compileRulePack } from './rule-compiler.js';
import { loadShippedPacks } from '#libs/rule-packs';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/labelled.jsonl');

describe('labelled evaluation of the shipped packs', () => {
  const report = evaluateLabelled(compileRulePack(loadShippedPacks(), { patterns: 'native' }), parseLabelledJsonl(readFileSync(fixture, 'utf8')));

  it('stays above the precision and recall floor on the fixture set', () => {
    expect(report.utterances).toBeGreaterThanOrEqual(140);
    expect(report.micro.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.micro.recall).toBeGreaterThanOrEqual(0.9);
    for (const family of ['guaranteed_returns', 'opt_out_request', 'abusive_language', 'pressure_tactics']) {
      expect(report.families[family]?.precision).toBeGreaterThanOrEqual(0.9);
      expect(report.families[family]?.recall).toBeGreaterThanOrEqual(0.85);
    }
    expect(report.cleanCorrect / report.clean).toBeGreaterThanOrEqual(0.95);
  });

  it('formats a table with a row per family', () => {
    expect(formatEvalReport(report)).toMatch(/guaranteed_returns\s+\d+/);
  });
});

describe('evaluateLabelled counting', () => {
  it('counts true and false positives and negatives per family', () => {
    const compiled = compileRulePack({
      id: 'p',
      version: '1.0.0',
      language: 'en',
      rules: [
        { id: 'a', version: 1, family: 'opt_out_request', severity: 'major', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'any', required: false, negationAware: false, enabled: true, match: { phrases: ['stop'] } },
      ],
    });
    const r = evaluateLabelled(compiled, [
      { text: 'stop', speaker: 'customer', expect: ['opt_out_request'] },
      { text: 'stop', speaker: 'customer', expect: [] },
      { text: 'halt', speaker: 'customer', expect: ['opt_out_request'] },
      { text: 'fine', speaker: 'customer', expect: [] },
    ]);
    expect(r.families['opt_out_request']).toMatchObject({ tp: 1, fp: 1, fn: 1, support: 2, precision: 0.5, recall: 0.5 });
    expect(r).toMatchObject({ clean: 2, cleanCorrect: 1 });
  });

  it('names the bad line in a malformed file', () => {
    expect(() => parseLabelledJsonl('{"text":"a","speaker":"agent","expect":[]}\n{"text":"b","speaker":"bot"}')).toThrow(/line 2: "speaker"/);
  });
});

describe('evaluateLabelled breakdowns', () => {
  const compiled = compileRulePack({
    id: 'p',
    version: '1.0.0',
    language: 'en',
    rules: [
      { id: 'g', version: 1, family: 'guaranteed_returns', severity: 'critical', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'agent', required: false, negationAware: false, enabled: true, match: { phrases: ['guaranteed'] } },
      { id: 'i', version: 1, family: 'implied_guarantee', severity: 'major', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'agent', required: false, negationAware: false, enabled: true, match: { phrases: ['low risk'] } },
    ],
  });
  const items = [
    { text: 'guaranteed', speaker: 'agent' as const, expect: ['guaranteed_returns'], label: 'explicit' },
    { text: 'nothing', speaker: 'agent' as const, expect: ['guaranteed_returns'], label: 'explicit' },
    { text: 'low risk', speaker: 'agent' as const, expect: [], label: 'implied' },
    { text: 'plain', speaker: 'agent' as const, expect: [], label: 'implied' },
    { text: 'guaranteed parking', speaker: 'agent' as const, expect: [], label: 'none' },
    { text: 'hello', speaker: 'agent' as const, expect: [], label: 'none' },
  ];

  it('reports per label how often each family was raised, and the clean-turn false-positive rate', () => {
    const r = evaluateLabelled(compiled, items);
    expect(r.labels.map((l) => [l.label, l.utterances, l.flagged, l.noFlag])).toEqual([
      ['explicit', 2, { guaranteed_returns: 1 }, 1],
      ['implied', 2, { implied_guarantee: 1 }, 1],
      ['none', 2, { guaranteed_returns: 1 }, 1],
    ]);
    // clean = the 4 lines expecting nothing; 2 of them were flagged
    expect(r.cleanFalsePositiveRate).toBe(0.5);
    expect(r.families['guaranteed_returns']).toMatchObject({ fp: 1, negatives: 4, falseAlarmRate: 0.25 });
    expect(r.mistakes.map((m) => [m.line, m.kind])).toEqual([
      [2, 'miss'],
      [3, 'false_alarm'],
      [5, 'false_alarm'],
    ]);
    expect(formatEvalReport(r)).toMatch(/implied\s+n=\s+2\s+no flag 1; implied_guarantee 1\/2/);
  });

  it('adds families to a label on request, and scores only the families asked for', () => {
    const r = evaluateLabelled(compiled, items, { labelFamilies: { implied: ['implied_guarantee'] }, families: ['implied_guarantee'] });
    expect(Object.keys(r.families)).toEqual(['implied_guarantee']);
    expect(r.families['implied_guarantee']).toMatchObject({ tp: 1, fp: 0, fn: 1, support: 2 });
  });

  it('splits by dialogue, deterministically, about a quarter aside', () => {
    const src = (d: number, turn: number) => ({ text: `t${d}-${turn}`, source: `file.jsonl#dlg_${d}/left[${turn}]` });
    for (let d = 0; d < 50; d++) expect(splitPart(src(d, 0))).toBe(splitPart(src(d, 3)));
    const aside = Array.from({ length: 400 }, (_, d) => splitPart(src(d, 0))).filter((p) => p === 'aside').length;
    expect(aside).toBeGreaterThan(60);
    expect(aside).toBeLessThan(140);
    expect(splitPart({ text: 'same text' })).toBe(splitPart({ text: 'same text' }));
  });

  it('parses label and source, and rejects a label that is not a string', () => {
    expect(parseLabelledJsonl('{"text":"a","speaker":"agent","expect":[],"label":"none","source":"x#1/left[0]"}')[0]).toMatchObject({ label: 'none', source: 'x#1/left[0]' });
    expect(() => parseLabelledJsonl('{"text":"a","speaker":"agent","expect":[],"label":3}')).toThrow(/line 1: "label"/);
  });
});

describe('call-level items (turns)', () => {
  const compiled = compileRulePack({
    id: 'p',
    version: '1.0.0',
    language: 'en',
    rules: [
      { id: 'rec', version: 1, family: 'missing_recording_notice', severity: 'major', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'any', required: true, time: { first: 30 }, negationAware: false, enabled: true, match: { phrases: ['recorded'] } },
    ],
  });

  it('runs call-level rules over the turns of an opening, and skips them for single turns', () => {
    const items = parseLabelledJsonl(
      [
        '{"turns":[{"speaker":"agent","text":"hi"},{"speaker":"agent","text":"this call is recorded"}],"lang":"en","expect":[]}',
        '{"turns":[{"speaker":"agent","text":"hi"},{"speaker":"customer","text":"hello"}],"lang":"en","expect":["missing_recording_notice"]}',
        '{"text":"hi","speaker":"agent","lang":"en","expect":[]}',
      ].join('\n'),
    );
    expect(items[0]?.text).toBe('A: hi / A: this call is recorded');
    const r = evaluateLabelled(compiled, items);
    expect(r.families['missing_recording_notice']).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('rejects malformed turns', () => {
    expect(() => parseLabelledJsonl('{"turns":[{"speaker":"bot","text":"x"}],"expect":[]}')).toThrow(/line 1: "turns"/);
  });
});
