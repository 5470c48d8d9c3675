// Usage: npm run eval:redaction -- <labelled.jsonl> [--mistakes]
// Runs findSensitive over a labelled file (one JSON object a line: {lang, style, text} with the spans marked inline as
// [[kind:text]]) and prints precision and recall per kind; the last line is all figures as one JSON object.
import { readFileSync } from 'node:fs';
import { type LabelledLine, findSensitive, parseLabelled, scoreKinds } from '#libs/redaction';

const file = process.argv[2];
if (!file) {
  console.error('usage: eval-redaction <labelled.jsonl> [--mistakes]');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as LabelledLine);
const results = lines.map((line) => {
  const parsed = parseLabelled(line.text);
  return { ...parsed, found: findSensitive(parsed.text, { askedBefore: line.asked }) };
});
if (process.argv.includes('--mistakes')) {
  for (const r of results) {
    const show = (m: { kind: string; start: number; end: number }) => `${m.kind}:${r.text.slice(m.start, m.end)}`;
    const gold = r.gold.map(show).sort().join(' | ');
    const found = r.found.map(show).sort().join(' | ');
    if (gold !== found) console.log(`  expected [${gold}] got [${found}]  ${r.text}`);
  }
}
const scores = scoreKinds(results);
const touched = results.filter((r) => r.gold.length === 0 && r.found.length > 0).length;
console.log(`${file}: ${lines.length} lines, ${results.filter((r) => r.gold.length === 0).length} without PII (${touched} of them touched)`);
for (const s of scores) {
  console.log(`${s.kind.padEnd(14)} precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  (tp ${s.truePositives}, fp ${s.falsePositives}, fn ${s.falseNegatives})`);
}
console.log(JSON.stringify({ file, lines: lines.length, negativesTouched: touched, scores }));
