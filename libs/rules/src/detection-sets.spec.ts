import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateLabelled, parseLabelledJsonl, type EvalReport, type LabelledUtterance } from './labelled-eval.js';
import { compileRulePack } from './rule-compiler.js';
import { loadShippedPacks } from '#libs/rule-packs';

// The project's own hard cases for the detection targets of issue 15 (not the TeleAntiFraud dev sets, which live
// outside the repository): each file mixes positives with the negatives that used to be confused with them.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
const load = (name: string): LabelledUtterance[] => parseLabelledJsonl(readFileSync(join(fixtures, name), 'utf8'));
const compiled = compileRulePack(loadShippedPacks(), { patterns: 'native' });

function rate(report: EvalReport, label: string, family: string): number {
  const l = report.labels.find((x) => x.label === label);
  if (!l) throw new Error(`no lines labelled ${label}`);
  return (l.flagged[family] ?? 0) / l.utterances;
}

// zh-guarantee.check.jsonl holds phrasings the dev set does not use, written from the labelling guideline in two
// batches, each scored once before the rules were changed for it: lines 1-53 (explicit recall 6/15, implied 8/14,
// none 0/24 flagged, packs 1.1.0), lines 54-93 (explicit 5/12, implied 3/13, none 0/15, the first 1.2.0 rules) and
// lines 94-125, long generator-style turns (explicit 7/8, implied 5/12 and 1/12 as explicit, none 1/12 flagged), and
// lines 126-150, implied reassurance in free phrasing (implied 1/14, explicit 1/1, none 0/10).
describe.each(['zh-guarantee.hard.jsonl', 'zh-guarantee.check.jsonl'])('Chinese guarantee claims (own hard cases, %s)', (file) => {
  const report = evaluateLabelled(compiled, load(file), { labelFamilies: { implied: ['implied_guarantee'] } });

  it('catches explicit promises with the precision and recall the issue asks for', () => {
    const g = report.families['guaranteed_returns'];
    expect(g?.support).toBeGreaterThanOrEqual(15);
    expect(g?.recall).toBeGreaterThanOrEqual(0.95);
    expect(g?.precision).toBeGreaterThanOrEqual(0.93);
  });

  it('catches implied claims as their own family, and never as explicit ones', () => {
    const i = report.families['implied_guarantee'];
    expect(i?.recall).toBeGreaterThanOrEqual(0.7);
    expect(i?.precision).toBeGreaterThanOrEqual(0.85);
    expect(rate(report, 'implied', 'guaranteed_returns')).toBe(0);
  });

  it('leaves negations, disclaimers, security procedures and non-return guarantees alone', () => {
    const none = report.labels.find((l) => l.label === 'none');
    expect(none?.utterances).toBeGreaterThanOrEqual(15);
    expect(none?.noFlag).toBe(none?.utterances);
  });
});

describe.each(['opt-out.jsonl', 'opt-out.check.jsonl'])('opt-out requests in %s', (file) => {
  const items = load(file);
  const off = evaluateLabelled(compiled, items);
  const on = evaluateLabelled(compiled, items, { runOptions: { policies: ['complaint_as_opt_out'] } });

  it('finds at least 90% of do-not-call requests, in Chinese and in English', () => {
    expect(off.families['opt_out_request']?.support).toBeGreaterThanOrEqual(30);
    expect(off.families['opt_out_request']?.recall).toBeGreaterThanOrEqual(0.9);
    for (const lang of ['zh', 'en'] as const) {
      const part = evaluateLabelled(compiled, items.filter((i) => i.lang === lang));
      expect(part.families['opt_out_request']?.recall).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('flags at most 5% of refusals, hang-up or report threats, deferrals and service cancellations', () => {
    let flagged = 0;
    let total = 0;
    for (const label of ['refusal', 'hangup_or_report', 'deferral', 'service_cancel']) {
      const l = off.labels.find((x) => x.label === label);
      flagged += l?.flagged['opt_out_request'] ?? 0;
      total += l?.utterances ?? 0;
    }
    expect(total).toBeGreaterThanOrEqual(20);
    expect(flagged / total).toBeLessThanOrEqual(0.05);
  });

  it('counts complaints about repeated calls only when the campaign policy is on', () => {
    expect(rate(off, 'repeat_complaint', 'opt_out_request')).toBe(0);
    expect(rate(on, 'repeat_complaint', 'opt_out_request')).toBeGreaterThanOrEqual(0.9);
    // the policy adds complaints, it takes nothing away and adds no false alarms elsewhere
    expect(on.families['opt_out_request']?.tp).toBe(off.families['opt_out_request']?.tp);
    expect(rate(on, 'deferral', 'opt_out_request')).toBe(rate(off, 'deferral', 'opt_out_request'));
  });
});

// Lines 172-212 of en-calls.jsonl were written later and scored once first with the 1.1.0 pack (explicit 4/8, implied
// 3/8, do-not-call 5/5, no false alarm on 15 negatives); the last five are regressions for patterns added after it.
describe('English set: openings, promises, opt-out (own, with hard negatives)', () => {
  const items = load('en-calls.jsonl');
  const report = evaluateLabelled(compiled, items);

  it('holds at least 150 lines, openings among them', () => {
    expect(items.length).toBeGreaterThanOrEqual(150);
    expect(items.filter((i) => i.turns).length).toBeGreaterThanOrEqual(40);
  });

  it('counts an agent name and company given in separate opening turns as identification', () => {
    expect(rate(report, 'opening_complete', 'missing_agent_identification')).toBe(0);
    expect(rate(report, 'no_identification', 'missing_agent_identification')).toBe(1);
  });

  it('recognises the common recording-notice phrasings and flags their absence', () => {
    expect(rate(report, 'opening_complete', 'missing_recording_notice')).toBeLessThanOrEqual(0.05);
    expect(rate(report, 'no_recording_notice', 'missing_recording_notice')).toBe(1);
  });

  it('keeps precision and recall on promises and opt-out, with no false alarm on the hard negatives', () => {
    for (const family of ['guaranteed_returns', 'opt_out_request']) {
      expect(report.families[family]?.precision).toBeGreaterThanOrEqual(0.93);
      expect(report.families[family]?.recall).toBeGreaterThanOrEqual(0.9);
    }
    expect(report.labels.find((l) => l.label === 'not_opt_out')?.noFlag).toBe(report.labels.find((l) => l.label === 'not_opt_out')?.utterances);
    expect(rate(report, 'none', 'guaranteed_returns')).toBe(0);
  });

  it('catches implied assurances in English as implied, not as explicit, and not on hedged or balanced wording', () => {
    expect(rate(report, 'implied', 'implied_guarantee')).toBeGreaterThanOrEqual(0.7);
    expect(rate(report, 'implied', 'guaranteed_returns')).toBe(0);
    expect(rate(report, 'none', 'implied_guarantee')).toBe(0);
  });
});
