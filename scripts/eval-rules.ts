// Usage: npm run eval:rules -- <labelled.jsonl>
// Runs the shipped rule packs over a labelled file (one JSON object a line: {text, speaker, lang?, expect[]}) and
// prints precision, recall and counts per family; the last line is all figures as one JSON object.
import { readFileSync } from 'node:fs';
import { compileRulePack, evaluateLabelled, formatEvalReport, loadShippedPacks, parseLabelledJsonl } from '#libs/rules';

const file = process.argv[2];
if (!file) {
  console.error('usage: eval-rules <labelled.jsonl> [--mistakes]');
  process.exit(2);
}
const packs = loadShippedPacks();
const compiled = compileRulePack(packs);
const items = parseLabelledJsonl(readFileSync(file, 'utf8'));
const report = evaluateLabelled(compiled, items);
console.log(`rule packs: ${packs.map((p) => `${p.id}@${p.version}`).join(', ')}; file: ${file}`);
if (process.argv.includes('--mistakes')) {
  for (const m of report.mistakes) console.log(`  line ${m.line}: expected [${m.expected.join(', ')}] got [${m.predicted.join(', ')}]  ${m.text}`);
}
console.log(formatEvalReport(report));
const { mistakes: _mistakes, ...figures } = report;
console.log(JSON.stringify({ file, packs: packs.map((p) => `${p.id}@${p.version}`), ...figures }));
