// Rule-engine throughput: 200 rules over a 10-minute transcript (target >= 2,000 calls/s on one core), and how the
// time grows from 100 to 1,000 rules (target: at most 3x). Prints one JSON object on its last line.
import type { NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { loadShippedPacks } from '#libs/rule-packs';
import { compileRulePack, runRules, type RulePack } from '#libs/rules';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

const EN_WORDS = (
  'the a to and of you your we our this that it is are was be have has with for on in at about fund account ' +
  'market plan option rate return returns interest money savings pension retire retirement portfolio stock bond ' +
  'property risk safe growth year month week today tomorrow call back send email details offer price fee charge ' +
  'manager advisor company bank transfer deposit balance performance history client customer service product ' +
  'really just think know see look make sure good great fine okay right well yes no not maybe could would should ' +
  'can will time number phone information question understand explain help thank thanks morning afternoon'
).split(' ');
const ZH_WORDS = (
  '您好 我们 这个 产品 收益 年化 理财 基金 账户 银行 客户 经理 今天 明天 时间 电话 信息 了解 一下 可以 需要 ' +
  '考虑 风险 投资 市场 行情 利率 存款 资金 到期 本金 服务 介绍 活动 优惠 办理 手续 费用 合同 签约 确认 是的 好的 ' +
  '嗯 对 没有 不是 知道 明白 谢谢 再见 稍等 查询 方便 情况 家人 商量 比较 选择 适合 期限 灵活'
).split(' ');
const EN_SPICE = [
  'this call is recorded for quality',
  'my name is anna from summit capital',
  'you could lose money and returns are not guaranteed',
  'i cant guarantee returns',
  'this fund has guaranteed returns',
  'please stop calling me',
  'this offer ends today',
  'you will earn at least 8 percent a year',
];
const ZH_SPICE = ['本次通话将被录音', '我是华安基金的小王', '投资有风险入市需谨慎', '不能保证收益', '这款产品保本保收益', '别再打了', '名额有限', '年化收益至少百分之六'];

function transcript(seed: number, lang: 'en' | 'zh'): NormalisedTranscript {
  const r = rng(seed);
  const words = lang === 'en' ? EN_WORDS : ZH_WORDS;
  const spice = lang === 'en' ? EN_SPICE : ZH_SPICE;
  const segments: TranscriptSegment[] = [];
  let t = 0;
  let i = 0;
  while (t < 600) {
    const n = 6 + Math.floor(r() * 18);
    const parts: string[] = [];
    for (let k = 0; k < n; k++) parts.push(words[Math.floor(r() * words.length)] as string);
    if (r() < 0.08) parts.splice(Math.floor(r() * parts.length), 0, spice[Math.floor(r() * spice.length)] as string);
    const dur = n * 0.38 + 0.4;
    const text = lang === 'en' ? `${parts.join(' ')}.` : `${parts.join('')}。`;
    segments.push({ speaker: i % 2 === 0 ? 'agent' : 'customer', start: t, end: t + dur, text });
    t += dur + 0.3;
    i++;
  }
  return { provider: 'bench', language: lang, rolesSource: 'channel', segments };
}

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
const en = Array.from({ length: 16 }, (_, i) => transcript(1000 + i, 'en'));
const zh = Array.from({ length: 16 }, (_, i) => transcript(2000 + i, 'zh'));
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
