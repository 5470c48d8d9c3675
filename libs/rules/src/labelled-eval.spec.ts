import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateLabelled, formatEvalReport, parseLabelledJsonl } from './labelled-eval.js';
import { compileRulePack } from './rule-compiler.js';
import { loadShippedPacks } from './rule-pack.loader.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/labelled.jsonl');

describe('labelled evaluation of the shipped packs', () => {
  const report = evaluateLabelled(compileRulePack(loadShippedPacks()), parseLabelledJsonl(readFileSync(fixture, 'utf8')));

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
