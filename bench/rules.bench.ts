// Rule-engine throughput: 200 rules over a 10-minute transcript (target >= 2,000 calls/s on one core), and how the
// time grows from 100 to 1,000 rules (target: at most 3x). Prints one JSON object on its last line.
import type { NormalisedTranscript } from '#libs/domain';
import { loadShippedPacks } from '#libs/rule-packs';
import { EN_WORDS, ZH_WORDS, rng, syntheticTranscript } from './synthetic-calls.js';
import { compileRulePack, runRules, type RulePack } from '#libs/rules';

/**
 * Synthetic rules shaped like the shipped ones: phrase sets, proximity, negation-aware, anchored regex, required.
 * Phrases are 2-4 words drawn from the same vocabulary as the transcripts, so a share of them really match
 * (findingsPerCall in the output says how many).
 */
function syntheticPack(count: number, seed: number): RulePack {
  const r = rng(seed);
  const pick = (arr: string[]) => arr[Math.floor(r() * arr.length)] as string;
  // Most phrases of a real pack never occur in a given call: 3 in 4 phrases carry a word the transcripts never use.
  const rare = (lang: 'en' | 'zh') => (lang === 'en' ? `zq${Math.floor(r() * 5000)}` : `罕${String.fromCharCode(0x4e00 + Math.floor(r() * 2000))}`);
  const phrase = (lang: 'en' | 'zh') => {
    const words =
      lang === 'en'
        ? Array.from({ length: 2 + Math.floor(r() * 3) }, () => pick(EN_WORDS))
        : Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(ZH_WORDS));
    if (r() < 0.75) words[Math.floor(r() * words.length)] = rare(lang);
    return words.join(lang === 'en' ? ' ' : '');
  };
  const rules: RulePack['rules'] = [];
  for (let i = 0; i < count; i++) {
    const lang = r() < 0.5 ? 'en' : 'zh';
    const kind = r();
    const phrases = Array.from({ length: 6 + Math.floor(r() * 10) }, () => phrase(lang));
    let match: RulePack['rules'][number]['match'];
    if (kind < 0.6) match = { phrases };
    else if (kind < 0.8) match = { near: [{ phrases: phrases.slice(0, 3) }, { phrases: phrases.slice(3) }], within: 5 };
    else if (kind < 0.9) match = { all: [{ phrases: phrases.slice(0, 4) }, { not: { phrases: phrases.slice(4) } }] };
    else {
      const anchor = phrase(lang);
      match = { regex: `${anchor}\\s+\\S+\\s+${phrase(lang)}`, anchors: [anchor] };
    }
    rules.push({
      id: `bench.${count}.${i}`,
      version: 1,
      family: 'pressure_tactics',
      severity: 'minor',
      dimension: 'compliance',
      description: 'synthetic',
      regulation: 'none',
      speaker: r() < 0.5 ? 'agent' : 'any',
      required: i % 97 === 96,
      negationAware: r() < 0.4,
      match,
      enabled: true,
    });
  }
  return { id: `bench-${count}`, version: '1.0.0', language: 'any', rules };
}

function measure(
  ruleCount: number,
  calls: NormalisedTranscript[],
  minMs: number,
): { callsPerSecond: number; msPerCall: number; compileMs: number; findingsPerCall: number } {
  const shipped = loadShippedPacks();
  const shippedCount = shipped.reduce((n, p) => n + p.rules.length, 0);
  const t0 = performance.now();
  const compiled = compileRulePack([...shipped, syntheticPack(ruleCount - shippedCount, ruleCount)], { patterns: 'native' });
  const compileMs = performance.now() - t0;
  for (let w = 0; w < 3; w++) for (const c of calls) runRules(compiled, c);
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    for (const c of calls) runRules(compiled, c);
    n += calls.length;
    now = performance.now();
  }
  const ms = (now - start) / n;
  const findingsPerCall = Math.round(calls.reduce((f, c) => f + runRules(compiled, c).length, 0) / calls.length);
  return { callsPerSecond: Math.round(1000 / ms), msPerCall: Number(ms.toFixed(4)), compileMs: Math.round(compileMs), findingsPerCall };
}

const minMs = Number(process.argv[2] ?? 2000);
const en = Array.from({ length: 16 }, (_, i) => syntheticTranscript(1000 + i, 'en'));
const zh = Array.from({ length: 16 }, (_, i) => syntheticTranscript(2000 + i, 'zh'));
const avgChars = (cs: NormalisedTranscript[]) => Math.round(cs.reduce((n, c) => n + c.segments.reduce((m, s) => m + s.text.length, 0), 0) / cs.length);
const avgSegs = (cs: NormalisedTranscript[]) => Math.round(cs.reduce((n, c) => n + c.segments.length, 0) / cs.length);

const result: Record<string, unknown> = {
  transcript: { seconds: 600, enSegments: avgSegs(en), enChars: avgChars(en), zhSegments: avgSegs(zh), zhChars: avgChars(zh) },
};
for (const [lang, calls] of [['en', en], ['zh', zh]] as const) {
  const r100 = measure(100, calls, minMs);
  const r200 = measure(200, calls, minMs);
  const r1000 = measure(1000, calls, minMs);
  result[lang] = {
    rules200: r200,
    rules100: r100,
    rules1000: r1000,
    ratio1000to100: Number((r1000.msPerCall / r100.msPerCall).toFixed(2)),
  };
  console.log(`${lang}: 200 rules ${r200.callsPerSecond} calls/s (${r200.msPerCall} ms/call); 100 rules ${r100.msPerCall} ms; 1000 rules ${r1000.msPerCall} ms; 1000/100 = ${(r1000.msPerCall / r100.msPerCall).toFixed(2)}x`);
}
const enR = result['en'] as { rules200: { callsPerSecond: number }; ratio1000to100: number };
const zhR = result['zh'] as { rules200: { callsPerSecond: number }; ratio1000to100: number };
result['targetMet'] = Math.min(enR.rules200.callsPerSecond, zhR.rules200.callsPerSecond) >= 2000 && Math.max(enR.ratio1000to100, zhR.ratio1000to100) <= 3;
console.log(JSON.stringify(result));
