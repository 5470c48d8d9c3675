import { REDACTION_KINDS, type RedactionKind, type SensitiveMatch } from './sensitive-text.js';

/** One line of a labelled set: the text with its spans marked inline as [[kind:text]]. */
export interface LabelledLine {
  lang: 'en' | 'zh';
  style: 'written' | 'asr';
  text: string;
  /** what the other speaker said just before (a question), passed as findSensitive's `askedBefore` */
  asked?: string;
}

export interface ParsedLine {
  text: string;
  gold: SensitiveMatch[];
}

const MARK = /\[\[(\w+):(.*?)\]\]/g;

/** Strips the [[kind:text]] marks and returns the plain text with the marked spans. */
export function parseLabelled(marked: string): ParsedLine {
  const gold: SensitiveMatch[] = [];
  let text = '';
  let at = 0;
  for (const m of marked.matchAll(MARK)) {
    const kind = m[1] as RedactionKind;
    if (!REDACTION_KINDS.includes(kind)) throw new Error(`unknown kind ${kind} in: ${marked}`);
    text += marked.slice(at, m.index);
    gold.push({ kind, start: text.length, end: text.length + (m[2] as string).length });
    text += m[2] as string;
    at = m.index + m[0].length;
  }
  return { text: text + marked.slice(at), gold };
}

export interface KindScore {
  kind: RedactionKind;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

/**
 * Precision and recall per kind. A found span is a true positive when it overlaps a gold span of the same kind and
 * covers at least half of it (one gold span counts once); every other found span is a false positive.
 */
export function scoreKinds(lines: readonly { gold: readonly SensitiveMatch[]; found: readonly SensitiveMatch[] }[]): KindScore[] {
  const tally = new Map<RedactionKind, { tp: number; fp: number; fn: number }>(REDACTION_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  for (const { gold, found } of lines) {
    const used = new Set<SensitiveMatch>();
    for (const f of found) {
      const hit = gold.find(
        (g) => !used.has(g) && g.kind === f.kind && Math.min(g.end, f.end) - Math.max(g.start, f.start) >= (g.end - g.start) / 2,
      );
      if (hit) {
        used.add(hit);
        tally.get(f.kind)!.tp++;
      } else tally.get(f.kind)!.fp++;
    }
    for (const g of gold) if (!used.has(g)) tally.get(g.kind)!.fn++;
  }
  return REDACTION_KINDS.map((kind) => {
    const { tp, fp, fn } = tally.get(kind)!;
    return { kind, truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 };
  });
}
