import { readFileSync } from 'node:fs';
import { findSensitive, applyRedactions } from '../libs/redaction/src/sensitive-text.ts';
import { parseLabelled, scoreKinds } from '../libs/redaction/src/labelled-set.ts';
const lines = readFileSync('libs/redaction/fixtures/' + (process.env.SET ?? 'labelled.jsonl') + '', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const results = lines.map((l) => { const p = parseLabelled(l.text); return { ...p, style: l.style, lang: l.lang, found: findSensitive(p.text) }; });
for (const r of results) {
  const key = (m: { kind: string; start: number; end: number }) => `${m.kind}:${r.text.slice(m.start, m.end)}`;
  const g = r.gold.map(key).sort().join(' | '), f = r.found.map(key).sort().join(' | ');
  if (g !== f) console.log(`GOLD ${g}\n FOUND ${f}\n  ${r.text}`);
}
console.table(scoreKinds(results));
