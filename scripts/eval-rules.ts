// Usage: npm run eval:rules -- <labelled.jsonl> [--mistakes] [--part tune|aside] [--label-family LABEL=FAMILY]...
//                                [--family FAMILY]... [--policy NAME]...
// Runs the shipped rule packs over a labelled file (one JSON object a line: {text, speaker, lang?, expect[], label?,
// source?}) and prints precision, recall, false-alarm rate per family, the clean-turn false-positive rate and, when
// lines carry a `label`, how often each label was flagged; the last line is all figures as one JSON object.
//   --mistakes            list every miss and false alarm (before the table)
//   --part tune|aside     keep one part of the deterministic 75/25 split by dialogue (see splitPart)
//   --label-family L=F    lines labelled L are also expected to carry family F (e.g. implied=implied_guarantee)
//   --family F            score only family F (repeatable)
//   --policy NAME         enable an opt-in rule policy (e.g. complaint_as_opt_out)
import { readFileSync } from 'node:fs';
import { loadShippedPacks } from '#libs/rule-packs';
import { compileRulePack, evaluateLabelled, formatEvalReport, parseLabelledJsonl, splitPart } from '#libs/rules';

const args = process.argv.slice(2);
const usage = 'usage: eval-rules <labelled.jsonl> [--mistakes] [--part tune|aside] [--label-family L=F] [--family F] [--policy NAME]';
const file = args.find((a, i) => !a.startsWith('--') && (i === 0 || !['--part', '--label-family', '--family', '--policy'].includes(args[i - 1] as string)));
if (!file) {
  console.error(usage);
  process.exit(2);
}
const values = (flag: string): string[] => args.flatMap((a, i) => (a === flag && args[i + 1] ? [args[i + 1] as string] : []));
const part = values('--part')[0];
if (part !== undefined && part !== 'tune' && part !== 'aside') {
  console.error(usage);
  process.exit(2);
}
const labelFamilies: Record<string, string[]> = {};
for (const spec of values('--label-family')) {
  const [label, family] = spec.split('=');
  if (!label || !family) {
    console.error(`--label-family wants LABEL=FAMILY, got "${spec}"`);
    process.exit(2);
  }
  (labelFamilies[label] ??= []).push(family);
}
const families = values('--family');
const policies = values('--policy');

const packs = loadShippedPacks();
const compiled = compileRulePack(packs, { patterns: 'native' });
const all = parseLabelledJsonl(readFileSync(file, 'utf8'));
const items = part ? all.filter((item) => splitPart(item) === part) : all;
const report = evaluateLabelled(compiled, items, {
  maxMistakes: Number.MAX_SAFE_INTEGER,
  labelFamilies,
  ...(families.length > 0 ? { families } : {}),
  ...(policies.length > 0 ? { runOptions: { policies } } : {}),
});
console.log(`rule packs: ${packs.map((p) => `${p.id}@${p.version}`).join(', ')}; file: ${file}${part ? `; part: ${part} (${items.length} of ${all.length} lines)` : ''}`);
if (args.includes('--mistakes')) {
  for (const m of report.mistakes) {
    const label = m.label !== undefined ? ` {${m.label}}` : '';
    console.log(`  line ${m.line} ${m.kind}${label}: expected [${m.expected.join(', ')}] got [${m.predicted.join(', ')}]  ${m.text.replace(/\s+/g, ' ')}`);
  }
}
console.log(formatEvalReport(report));
const { mistakes, ...figures } = report;
console.log(
  JSON.stringify({
    file,
    ...(part ? { part } : {}),
    packs: packs.map((p) => `${p.id}@${p.version}`),
    ...(Object.keys(labelFamilies).length > 0 ? { labelFamilies } : {}),
    ...(policies.length > 0 ? { policies } : {}),
    ...figures,
    misses: mistakes.filter((m) => m.kind !== 'false_alarm').length,
    falseAlarms: mistakes.filter((m) => m.kind !== 'miss').length,
  }),
);
