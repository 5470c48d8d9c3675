import type { NormalisedTranscript } from '#libs/domain';
import type { CompiledRules } from './rule-compiler.js';
import { runRules } from './rule-engine.js';

/** One labelled utterance: what the shipped packs should (expect) or should not flag. */
export interface LabelledUtterance {
  text: string;
  speaker: 'agent' | 'customer';
  lang?: 'en' | 'zh';
  expect: string[];
}

export interface FamilyScore {
  tp: number;
  fp: number;
  fn: number;
  /** utterances labelled with the family */
  support: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface EvalMistake {
  line: number;
  text: string;
  expected: string[];
  predicted: string[];
}

export interface EvalReport {
  utterances: number;
  families: Record<string, FamilyScore>;
  micro: FamilyScore;
  /** utterances with no expected family that got none */
  cleanCorrect: number;
  clean: number;
  mistakes: EvalMistake[];
}

/** Parses a labelled JSONL file; errors name the line and the bad field. */
export function parseLabelledJsonl(source: string): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('//')) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      throw new Error(`line ${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
    }
    const o = obj as Record<string, unknown>;
    if (typeof o['text'] !== 'string') throw new Error(`line ${i + 1}: "text" must be a string`);
    if (o['speaker'] !== 'agent' && o['speaker'] !== 'customer') throw new Error(`line ${i + 1}: "speaker" must be agent or customer`);
    if (o['lang'] !== undefined && o['lang'] !== 'en' && o['lang'] !== 'zh') throw new Error(`line ${i + 1}: "lang" must be en or zh`);
    const expect = o['expect'] ?? [];
    if (!Array.isArray(expect) || !expect.every((e) => typeof e === 'string')) {
      throw new Error(`line ${i + 1}: "expect" must be an array of family names`);
    }
    out.push({
      text: o['text'],
      speaker: o['speaker'],
      ...(o['lang'] ? { lang: o['lang'] as 'en' | 'zh' } : {}),
      expect: expect as string[],
    });
  });
  return out;
}

function score(tp: number, fp: number, fn: number, support: number): FamilyScore {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  return { tp, fp, fn, support, precision, recall, f1 };
}

/**
 * Runs compiled rules over each utterance as a one-segment call and scores the families found against the labels.
 * Only presence rules count: required-phrase rules ("no recording notice") judge a whole call, not one utterance.
 */
export function evaluateLabelled(compiled: CompiledRules, items: readonly LabelledUtterance[], maxMistakes = 50): EvalReport {
  const required = new Set(compiled.rules.filter((r) => r.rule.required).map((r) => r.rule.id));
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const bump = (family: string) => {
    let c = counts.get(family);
    if (!c) counts.set(family, (c = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return c;
  };
  for (const r of compiled.rules) if (!r.rule.required) bump(r.rule.family);
  const mistakes: EvalMistake[] = [];
  let clean = 0;
  let cleanCorrect = 0;
  items.forEach((item, i) => {
    const transcript: NormalisedTranscript = {
      provider: 'labelled',
      ...(item.lang ? { language: item.lang } : {}),
      rolesSource: 'channel',
      segments: [{ speaker: item.speaker, start: 0, end: 5, text: item.text }],
    };
    const predicted = new Set(
      runRules(compiled, transcript)
        .filter((f) => !required.has(f.ruleId))
        .map((f) => f.family ?? f.ruleId),
    );
    const expected = new Set(item.expect);
    for (const fam of expected) {
      const c = bump(fam);
      c.support++;
      if (predicted.has(fam)) c.tp++;
      else c.fn++;
    }
    for (const fam of predicted) if (!expected.has(fam)) bump(fam).fp++;
    if (expected.size === 0) {
      clean++;
      if (predicted.size === 0) cleanCorrect++;
    }
    const wrong = [...expected].some((f) => !predicted.has(f)) || [...predicted].some((f) => !expected.has(f));
    if (wrong && mistakes.length < maxMistakes) {
      mistakes.push({ line: i + 1, text: item.text, expected: [...expected], predicted: [...predicted] });
    }
  });
  const families: Record<string, FamilyScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let support = 0;
  for (const [family, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    families[family] = score(c.tp, c.fp, c.fn, c.support);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    support += c.support;
  }
  return { utterances: items.length, families, micro: score(tp, fp, fn, support), clean, cleanCorrect, mistakes };
}

function pct(v: number | null): string {
  return v === null ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`;
}

/** Human-readable table of a report (the JSON summary is printed separately). */
export function formatEvalReport(report: EvalReport): string {
  const lines = [`family                          support   tp   fp   fn  precision  recall    f1`];
  const row = (name: string, s: FamilyScore) =>
    `${name.padEnd(32)}${String(s.support).padStart(7)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}  ${pct(s.precision)}   ${pct(s.recall)} ${pct(s.f1)}`;
  for (const [family, s] of Object.entries(report.families)) lines.push(row(family, s));
  lines.push(row('ALL (micro)', report.micro));
  lines.push(`utterances ${report.utterances}; clean utterances left clean ${report.cleanCorrect}/${report.clean}`);
  return lines.join('\n');
}
