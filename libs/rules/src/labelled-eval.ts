import type { NormalisedTranscript } from '#libs/domain';
import type { CompiledRules } from './rule-compiler.js';
import { runRules, type RunRulesOptions } from './rule-engine.js';

/** One labelled utterance: what the shipped packs should (expect) or should not flag. */
export interface LabelledUtterance {
  text: string;
  speaker: 'agent' | 'customer';
  lang?: 'en' | 'zh';
  expect: string[];
  /** fine label (e.g. explicit / implied / none, dnc_request / refusal), reported separately when present */
  label?: string;
  /** where the line came from; its dialogue part decides the tune / set-aside split */
  source?: string;
  /**
   * A whole opening instead of one turn: turns 6 s apart from 0 s. Call-level rules ("no recording notice in the
   * first 30 s") count for these items, so `expect` may name missing_* families; `text` is the turns joined.
   */
  turns?: { speaker: 'agent' | 'customer'; text: string }[];
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
  /** utterances not labelled with the family */
  negatives: number;
  /** fp / negatives: the share of utterances without the family that were flagged with it */
  falseAlarmRate: number | null;
}

/** How often each family was raised on the utterances of one fine label. */
export interface LabelScore {
  label: string;
  utterances: number;
  /** family -> utterances of this label flagged with it */
  flagged: Record<string, number>;
  /** family -> flagged / utterances */
  rate: Record<string, number>;
  /** utterances of this label that got no family at all */
  noFlag: number;
}

export interface EvalMistake {
  line: number;
  text: string;
  expected: string[];
  predicted: string[];
  label?: string;
  kind: 'miss' | 'false_alarm' | 'both';
}

export interface EvalReport {
  utterances: number;
  families: Record<string, FamilyScore>;
  micro: FamilyScore;
  /** utterances with no expected family that got none */
  cleanCorrect: number;
  clean: number;
  /** share of clean utterances (no expected family) flagged with any family */
  cleanFalsePositiveRate: number | null;
  /** breakdown by the `label` field, when the file has one */
  labels: LabelScore[];
  mistakes: EvalMistake[];
}

export interface EvalOptions {
  /** most mistakes kept in the report (default 50) */
  maxMistakes?: number;
  /** label -> extra families those utterances are expected to carry (e.g. implied -> implied_guarantee) */
  labelFamilies?: Record<string, string[]>;
  /** count only these families (others are ignored in scores and mistakes) */
  families?: readonly string[];
  runOptions?: RunRulesOptions;
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
    let turns: LabelledUtterance['turns'];
    if (o['turns'] !== undefined) {
      const raw = o['turns'];
      const ok = (t: unknown): t is { speaker: 'agent' | 'customer'; text: string } =>
        typeof t === 'object' && t !== null && typeof (t as Record<string, unknown>)['text'] === 'string' &&
        ((t as Record<string, unknown>)['speaker'] === 'agent' || (t as Record<string, unknown>)['speaker'] === 'customer');
      if (!Array.isArray(raw) || raw.length === 0 || !raw.every(ok)) {
        throw new Error(`line ${i + 1}: "turns" must be a non-empty array of {speaker: agent|customer, text}`);
      }
      turns = raw.map((t) => ({ speaker: t.speaker, text: t.text }));
      o['text'] ??= turns.map((t) => `${t.speaker === 'agent' ? 'A' : 'C'}: ${t.text}`).join(' / ');
      o['speaker'] ??= turns[0]?.speaker;
    }
    if (typeof o['text'] !== 'string') throw new Error(`line ${i + 1}: "text" must be a string`);
    if (o['speaker'] !== 'agent' && o['speaker'] !== 'customer') throw new Error(`line ${i + 1}: "speaker" must be agent or customer`);
    if (o['lang'] !== undefined && o['lang'] !== 'en' && o['lang'] !== 'zh') throw new Error(`line ${i + 1}: "lang" must be en or zh`);
    const expect = o['expect'] ?? [];
    if (!Array.isArray(expect) || !expect.every((e) => typeof e === 'string')) {
      throw new Error(`line ${i + 1}: "expect" must be an array of family names`);
    }
    for (const key of ['label', 'source'] as const) {
      if (o[key] !== undefined && typeof o[key] !== 'string') throw new Error(`line ${i + 1}: "${key}" must be a string`);
    }
    out.push({
      text: o['text'],
      speaker: o['speaker'],
      ...(o['lang'] ? { lang: o['lang'] as 'en' | 'zh' } : {}),
      expect: expect as string[],
      ...(typeof o['label'] === 'string' ? { label: o['label'] } : {}),
      ...(typeof o['source'] === 'string' ? { source: o['source'] } : {}),
      ...(turns ? { turns } : {}),
    });
  });
  return out;
}

/** FNV-1a, 32 bits: a stable hash with no dependency, so the split is the same on every machine. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Which part of a deterministic 75/25 split an utterance falls in: `aside` (kept unseen while tuning) or `tune`.
 * Lines of one dialogue stay together: the key is the source without its turn suffix ("…#id/left[3]" -> "…#id"),
 * else the text.
 */
export function splitPart(item: Pick<LabelledUtterance, 'text' | 'source'>): 'tune' | 'aside' {
  const key = item.source ? item.source.replace(/\/(left|right)\[\d+\]$/, '') : item.text;
  return fnv1a(key) % 4 === 0 ? 'aside' : 'tune';
}

function score(tp: number, fp: number, fn: number, support: number, negatives: number): FamilyScore {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : null;
  return { tp, fp, fn, support, precision, recall, f1, negatives, falseAlarmRate: negatives > 0 ? fp / negatives : null };
}

/**
 * Runs compiled rules over each utterance as a one-segment call and scores the families found against the labels.
 * Only presence rules count for single turns: required-phrase rules ("no recording notice") judge a whole call, so
 * they count only for items given as `turns`.
 */
export function evaluateLabelled(compiled: CompiledRules, items: readonly LabelledUtterance[], options: EvalOptions | number = {}): EvalReport {
  const opts: EvalOptions = typeof options === 'number' ? { maxMistakes: options } : options;
  const maxMistakes = opts.maxMistakes ?? 50;
  const only = opts.families ? new Set(opts.families) : null;
  const required = new Set(compiled.rules.filter((r) => r.rule.required).map((r) => r.rule.id));
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  const bump = (family: string) => {
    let c = counts.get(family);
    if (!c) counts.set(family, (c = { tp: 0, fp: 0, fn: 0, support: 0 }));
    return c;
  };
  const anyCalls = items.some((item) => item.turns !== undefined);
  for (const r of compiled.rules) if ((anyCalls || !r.rule.required) && (!only || only.has(r.rule.family))) bump(r.rule.family);
  const byLabel = new Map<string, { utterances: number; flagged: Map<string, number>; noFlag: number }>();
  const mistakes: EvalMistake[] = [];
  let clean = 0;
  let cleanCorrect = 0;
  items.forEach((item, i) => {
    const transcript: NormalisedTranscript = {
      provider: 'labelled',
      ...(item.lang ? { language: item.lang } : {}),
      rolesSource: 'channel',
      segments: item.turns
        ? item.turns.map((t, k) => ({ speaker: t.speaker, start: k * 6, end: k * 6 + 5, text: t.text }))
        : [{ speaker: item.speaker, start: 0, end: 5, text: item.text }],
    };
    const predicted = new Set(
      runRules(compiled, transcript, opts.runOptions)
        .filter((f) => item.turns !== undefined || !required.has(f.ruleId))
        .map((f) => f.family ?? f.ruleId)
        .filter((f) => !only || only.has(f)),
    );
    const extra = item.label ? (opts.labelFamilies?.[item.label] ?? []) : [];
    const expected = new Set([...item.expect, ...extra].filter((f) => !only || only.has(f)));
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
    if (item.label !== undefined) {
      let l = byLabel.get(item.label);
      if (!l) byLabel.set(item.label, (l = { utterances: 0, flagged: new Map(), noFlag: 0 }));
      l.utterances++;
      if (predicted.size === 0) l.noFlag++;
      for (const fam of predicted) l.flagged.set(fam, (l.flagged.get(fam) ?? 0) + 1);
    }
    const missed = [...expected].some((f) => !predicted.has(f));
    const alarmed = [...predicted].some((f) => !expected.has(f));
    if ((missed || alarmed) && mistakes.length < maxMistakes) {
      mistakes.push({
        line: i + 1,
        text: item.text,
        expected: [...expected],
        predicted: [...predicted],
        ...(item.label !== undefined ? { label: item.label } : {}),
        kind: missed && alarmed ? 'both' : missed ? 'miss' : 'false_alarm',
      });
    }
  });
  const families: Record<string, FamilyScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let support = 0;
  for (const [family, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    families[family] = score(c.tp, c.fp, c.fn, c.support, items.length - c.support);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    support += c.support;
  }
  const labels: LabelScore[] = [...byLabel]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, l]) => {
      const flagged = Object.fromEntries([...l.flagged].sort(([a], [b]) => a.localeCompare(b)));
      const rate = Object.fromEntries(Object.entries(flagged).map(([f, n]) => [f, n / l.utterances]));
      return { label, utterances: l.utterances, flagged, rate, noFlag: l.noFlag };
    });
  return {
    utterances: items.length,
    families,
    micro: score(tp, fp, fn, support, 0),
    clean,
    cleanCorrect,
    cleanFalsePositiveRate: clean > 0 ? (clean - cleanCorrect) / clean : null,
    labels,
    mistakes,
  };
}

function pct(v: number | null): string {
  return v === null ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`;
}

/** Human-readable table of a report (the JSON summary is printed separately). */
export function formatEvalReport(report: EvalReport): string {
  const lines = [`family                          support   tp   fp   fn  precision  recall    f1  false-alarm`];
  const row = (name: string, s: FamilyScore) =>
    `${name.padEnd(32)}${String(s.support).padStart(7)}${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}  ${pct(s.precision)}   ${pct(s.recall)} ${pct(s.f1)}  ${pct(s.falseAlarmRate)}`;
  for (const [family, s] of Object.entries(report.families)) lines.push(row(family, s));
  lines.push(row('ALL (micro)', report.micro));
  lines.push(
    `utterances ${report.utterances}; clean utterances left clean ${report.cleanCorrect}/${report.clean}` +
      ` (clean-turn false-positive rate ${pct(report.cleanFalsePositiveRate).trim()})`,
  );
  if (report.labels.length > 0) {
    lines.push('by label (share of the label\'s utterances flagged with each family):');
    for (const l of report.labels) {
      const parts = Object.entries(l.flagged).map(([f, n]) => `${f} ${n}/${l.utterances} (${pct(n / l.utterances).trim()})`);
      lines.push(`  ${l.label.padEnd(18)} n=${String(l.utterances).padStart(4)}  no flag ${l.noFlag}; ${parts.length > 0 ? parts.join('; ') : 'nothing flagged'}`);
    }
  }
  return lines.join('\n');
}
