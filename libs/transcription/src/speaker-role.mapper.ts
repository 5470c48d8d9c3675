import type { Speaker } from '#libs/domain';

export interface RoleHints {
  companyName?: string;
  agentName?: string;
  /** extra agent-opening phrases (regex sources, case-insensitive) on top of the built-in English/Chinese ones */
  greetingPatterns?: string[];
}

export interface LabelledText {
  label: string;
  start: number;
  text: string;
}

export interface RoleMapping {
  /** diarization label → role; labels not in the map are 'unknown' */
  roles: Record<string, Speaker>;
  /** 0..1; 0 when no evidence was found */
  confidence: number;
  agentLabel?: string;
  evidence?: string;
}

const BUILT_IN_GREETINGS: Array<{ re: RegExp; weight: number; name: string }> = [
  { re: /thank(s| you) for (calling|holding|choosing|contacting)/i, weight: 0.85, name: 'thank-you-for-calling' },
  { re: /\b(my name is|this is|you'?re speaking (with|to))\b.{0,40}\b(from|with|at|of)\b/i, weight: 0.8, name: 'this-is-x-from' },
  { re: /\bhow (can|may) i (help|assist)\b/i, weight: 0.75, name: 'how-can-i-help' },
  { re: /\b(i'?m|i am) calling (from|on behalf of)\b/i, weight: 0.8, name: 'calling-from' },
  { re: /\bthis call (is|may be) (being )?recorded\b/i, weight: 0.7, name: 'recording-notice' },
  { re: /欢迎(致电|来电)/, weight: 0.85, name: '欢迎致电' },
  { re: /(这里是|这边是|我是).{0,15}(公司|银行|证券|保险|客服|顾问|经理|专员|中心)/, weight: 0.8, name: '我是…公司' },
  { re: /(有什么|什么)可以(帮|为)您/, weight: 0.75, name: '有什么可以帮您' },
  { re: /工号/, weight: 0.8, name: '工号' },
  { re: /本次通话.{0,6}录音/, weight: 0.7, name: '通话录音' },
];

const OPENING_SECONDS = 60;

/**
 * Decides which diarization label is the agent: the speaker who says the company name, the agent's name or an
 * agent greeting early in the call. Returns confidence 0 and no agent when nothing points either way.
 */
export function mapDiarizedRoles(segments: LabelledText[], hints: RoleHints = {}): RoleMapping {
  const labels = [...new Set(segments.map((s) => s.label))];
  const opening = segments.filter((s) => s.start < OPENING_SECONDS);
  const patterns = [...BUILT_IN_GREETINGS];
  const company = hints.companyName?.trim();
  if (company) patterns.push({ re: new RegExp(escapeRe(company), 'i'), weight: 0.95, name: `company name '${company}'` });
  const agent = hints.agentName?.trim();
  if (agent) patterns.push({ re: new RegExp(/^[\x20-\x7e]+$/.test(agent) ? `\\b${escapeRe(agent)}\\b` : escapeRe(agent), 'i'), weight: 0.9, name: `agent name '${agent}'` });
  for (const p of hints.greetingPatterns ?? []) patterns.push({ re: new RegExp(p, 'i'), weight: 0.8, name: `pattern /${p}/` });

  const scores = new Map<string, { score: number; evidence: string }>();
  for (const seg of opening) {
    for (const p of patterns) {
      if (!p.re.test(seg.text)) continue;
      const prev = scores.get(seg.label);
      if (!prev || p.weight > prev.score) scores.set(seg.label, { score: p.weight, evidence: p.name });
    }
  }
  if (scores.size === 0) return { roles: {}, confidence: 0 };
  const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
  const [agentLabel, best] = ranked[0];
  // Evidence for two speakers (both said a greeting-like phrase) halves the margin we trust.
  const runnerUp = ranked[1]?.[1].score ?? 0;
  const confidence = runnerUp ? Math.max(0.05, (best.score - runnerUp) + best.score * 0.5) : best.score;
  const roles: Record<string, Speaker> = { [agentLabel]: 'agent' };
  const others = labels.filter((l) => l !== agentLabel);
  if (others.length === 1) roles[others[0]] = 'customer';
  else {
    // More than two voices (transfer, IVR, third party): only the one who talks most beside the agent is the customer.
    const talk = new Map<string, number>();
    for (const s of segments) if (s.label !== agentLabel) talk.set(s.label, (talk.get(s.label) ?? 0) + s.text.length);
    const customer = [...talk.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (customer) roles[customer] = 'customer';
  }
  return { roles, confidence: round2(Math.min(1, confidence)), agentLabel, evidence: best.evidence };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
