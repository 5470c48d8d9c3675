/**
 * Synthetic 10-minute calls for the rule benches (bench:rules, bench:recheck): ~95 turns of everyday sales vocabulary,
 * with a phrase that matters (a notice, a promise, a stop request) in about one turn in twelve. Seeded: the same seed
 * gives the same call.
 */
import type { NormalisedTranscript, TranscriptSegment } from '#libs/domain';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export const EN_WORDS = (
  'the a to and of you your we our this that it is are was be have has with for on in at about fund account ' +
  'market plan option rate return returns interest money savings pension retire retirement portfolio stock bond ' +
  'property risk safe growth year month week today tomorrow call back send email details offer price fee charge ' +
  'manager advisor company bank transfer deposit balance performance history client customer service product ' +
  'really just think know see look make sure good great fine okay right well yes no not maybe could would should ' +
  'can will time number phone information question understand explain help thank thanks morning afternoon'
).split(' ');
export const ZH_WORDS = (
  '您好 我们 这个 产品 收益 年化 理财 基金 账户 银行 客户 经理 今天 明天 时间 电话 信息 了解 一下 可以 需要 ' +
  '考虑 风险 投资 市场 行情 利率 存款 资金 到期 本金 服务 介绍 活动 优惠 办理 手续 费用 合同 签约 确认 是的 好的 ' +
  '嗯 对 没有 不是 知道 明白 谢谢 再见 稍等 查询 方便 情况 家人 商量 比较 选择 适合 期限 灵活'
).split(' ');
export const EN_SPICE = [
  'this call is recorded for quality',
  'my name is anna from summit capital',
  'you could lose money and returns are not guaranteed',
  'i cant guarantee returns',
  'this fund has guaranteed returns',
  'please stop calling me',
  'this offer ends today',
  'you will earn at least 8 percent a year',
];
export const ZH_SPICE = ['本次通话将被录音', '我是华安基金的小王', '投资有风险入市需谨慎', '不能保证收益', '这款产品保本保收益', '别再打了', '名额有限', '年化收益至少百分之六'];

export function syntheticTranscript(seed: number, lang: 'en' | 'zh'): NormalisedTranscript {
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
