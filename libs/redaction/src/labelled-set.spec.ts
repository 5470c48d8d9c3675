import { readFileSync } from 'node:fs';
import { type LabelledLine, parseLabelled, scoreKinds } from './labelled-set.js';
import { REDACTION_KINDS, findSensitive } from './sensitive-text.js';

// The labelled sets (libs/redaction/fixtures): "labelled.jsonl", the development set the rules were tuned on;
// "held-out.jsonl", "fresh.jsonl" and "dialogue.jsonl" (hand-written; questions and answers), each written later and
// measured once before the fixes they prompted. Figures, first measurements included, are in libs/redaction/README.md.
function load(name: string): LabelledLine[] {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledLine);
}

function evaluate(lines: readonly LabelledLine[]) {
  const results = lines.map((line) => {
    const parsed = parseLabelled(line.text);
    return { ...parsed, line, found: findSensitive(parsed.text, { askedBefore: line.asked }) };
  });
  return { results, scores: scoreKinds(results) };
}

describe('parseLabelled / scoreKinds', () => {
  it('strips the marks and scores overlap of the same kind', () => {
    const parsed = parseLabelled('call [[phone:555-0123]] or [[email:a@b.cn]]');
    expect(parsed.text).toBe('call 555-0123 or a@b.cn');
    expect(parsed.gold).toEqual([
      { kind: 'phone', start: 5, end: 13 },
      { kind: 'email', start: 17, end: 23 },
    ]);
    const scores = scoreKinds([{ gold: parsed.gold, found: [{ kind: 'phone', start: 5, end: 12 }, { kind: 'card', start: 17, end: 23 }] }]);
    expect(scores.find((s) => s.kind === 'phone')).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0 });
    expect(scores.find((s) => s.kind === 'email')).toMatchObject({ truePositives: 0, falseNegatives: 1, recall: 0 });
    expect(scores.find((s) => s.kind === 'card')).toMatchObject({ falsePositives: 1, precision: 0 });
  });
});

describe.each([
  ['labelled.jsonl', 300, 100],
  ['held-out.jsonl', 300, 100],
  ['fresh.jsonl', 100, 40],
  // answers read through the question before them (`asked`)
  ['dialogue.jsonl', 40, 10],
])('labelled set %s', (name, minLines, minNegatives) => {
  const lines = load(name);
  const { results, scores } = evaluate(lines);

  it(`has at least ${minLines} lines in both languages, ASR-style ones and ${minNegatives} hard negatives, every kind labelled`, () => {
    expect(lines.length).toBeGreaterThanOrEqual(minLines);
    expect(new Set(lines.map((l) => l.lang))).toEqual(new Set(['en', 'zh']));
    expect(lines.filter((l) => l.style === 'asr').length).toBeGreaterThanOrEqual(8);
    expect(results.filter((r) => r.gold.length === 0).length).toBeGreaterThanOrEqual(minNegatives);
    for (const kind of REDACTION_KINDS) expect(results.some((r) => r.gold.some((g) => g.kind === kind))).toBe(true);
  });

  it('redacts nothing in the lines without PII (order numbers, amounts, dates, times, case numbers)', () => {
    const touched = results.filter((r) => r.gold.length === 0 && r.found.length > 0).map((r) => r.text);
    expect(touched).toEqual([]);
  });

  it.each(REDACTION_KINDS)('%s: precision and recall at or above the floor recorded in the README', (kind) => {
    const score = scores.find((s) => s.kind === kind)!;
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(kind === 'name' || kind === 'address' ? 0.8 : 0.9);
  });
});
