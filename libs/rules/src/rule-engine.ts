import type { FindingDraft, FindingEvidence, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { HitList } from './phrase-automaton.js';
import type { PatternMatcher } from './pattern-matcher.js';
import type { CompiledNode, CompiledRule, CompiledRules, CueGroups } from './rule-compiler.js';
import { type SearchableTranscript, speakerOfCode } from './searchable-transcript.js';
import { CLAUSE_CODE, SEGMENT, SEGMENT_CODE, isCjk, normaliseSegments, type NormalisedText } from './text-normaliser.js';

export interface RunRulesOptions {
  /** defaults to the end of the last segment */
  callDurationSeconds?: number;
  /** 'en' | 'zh'; defaults to the transcript's language, else detected from the text */
  language?: string;
  /** whether segments of unknown speaker count for agent- or customer-scoped rules (default true: never miss) */
  unknownSpeakerMatches?: boolean;
  /** opt-in rule policies to enable (rules with a `policy` run only when it is listed here) */
  policies?: readonly string[];
}

type Spans = number[] | null;

/** The segments the rules read, by index: a searchable form builds a segment only when one is asked for. */
interface Segments {
  readonly length: number;
  at(index: number): TranscriptSegment | undefined;
}

interface CallState {
  compiled: CompiledRules;
  segments: Segments;
  text: string;
  /** where each normalised character came from in its segment's text; null when the segments are the normalised text */
  origStart: Int32Array | null;
  origEnd: Int32Array | null;
  segStart: Int32Array;
  segEnd: Int32Array;
  leafHits: (number[] | undefined)[];
  cueHits: number[][];
  filtered: Map<number, number[]>;
  rule: CompiledRule | null;
  /** anchored regex leaf -> segments where one of its anchors occurs (the regex runs there lazily, once) */
  anchorSegs: Map<number, number[]>;
  regexRun: Set<number>;
}

const SPACE = 0x20;

function segmentOf(st: CallState, pos: number): number {
  const starts = st.segStart;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isBoundary(c: number): boolean {
  return c === CLAUSE_CODE || c === SEGMENT_CODE;
}

/** Start of the window of `words` words or `chars` characters before `pos`, not crossing a clause boundary. */
function windowBefore(text: string, pos: number, cjk: boolean, words: number, chars: number): number {
  let i = pos;
  if (cjk) {
    let count = 0;
    while (i > 0 && count < chars && !isBoundary(text.charCodeAt(i - 1))) {
      i--;
      if (text.charCodeAt(i) !== SPACE) count++;
    }
    return i;
  }
  let seen = 0;
  while (i > 0 && !isBoundary(text.charCodeAt(i - 1))) {
    const c = text.charCodeAt(i - 1);
    if (c === SPACE && i < pos) {
      seen++;
      if (seen >= words + 1) break;
    }
    i--;
  }
  return i;
}

function windowAfter(text: string, pos: number, cjk: boolean, words: number, chars: number): number {
  let i = pos;
  const n = text.length;
  if (cjk) {
    let count = 0;
    while (i < n && count < chars && !isBoundary(text.charCodeAt(i))) {
      if (text.charCodeAt(i) !== SPACE) count++;
      i++;
    }
    return i;
  }
  let seen = 0;
  while (i < n && !isBoundary(text.charCodeAt(i))) {
    if (text.charCodeAt(i) === SPACE && i > pos) {
      seen++;
      if (seen >= words + 1) break;
    }
    i++;
  }
  return i;
}

function covered(breakers: number[] | undefined, s: number, e: number): boolean {
  if (!breakers) return false;
  for (let k = 0; k < breakers.length; k += 2) {
    if ((breakers[k] as number) <= s && (breakers[k + 1] as number) >= e) return true;
  }
  return false;
}

function cueIn(st: CallState, group: number, lo: number, hi: number, breakers: number[] | undefined): boolean {
  const hits = st.cueHits[group];
  if (!hits) return false;
  for (let k = 0; k < hits.length; k += 2) {
    const s = hits[k] as number;
    const e = hits[k + 1] as number;
    if (s >= lo && e <= hi && !covered(breakers, s, e)) return true;
  }
  return false;
}

/** Whether a hit is negated ("I can't guarantee returns") or suppressed by a rule's own exception cues. */
function suppressed(st: CallState, rule: CompiledRule, s: number, e: number): boolean {
  const text = st.text;
  const cjk = isCjk(text.charCodeAt(s)) || isCjk(text.charCodeAt(e - 1));
  const neg = rule.negation;
  if (neg) {
    const breakers = st.cueHits[neg.breakers];
    const lo = windowBefore(text, s, cjk, neg.windowWords, neg.windowChars);
    if (cueIn(st, neg.before, lo, s, breakers)) return true;
    const adjacent = st.cueHits[neg.adjacentBefore];
    if (adjacent) {
      for (let k = 1; k < adjacent.length; k += 2) {
        const ce = adjacent[k] as number;
        if (ce === s || (ce === s - 1 && text.charCodeAt(ce) === SPACE)) return true;
      }
    }
    const hi = windowAfter(text, e, cjk, neg.afterWindowWords, neg.afterWindowChars);
    if (cueIn(st, neg.after, e, hi, breakers)) return true;
  }
  const unless = rule.unless;
  if (unless) {
    const w: CueGroups = unless.windows;
    const lo = windowBefore(text, s, cjk, w.windowWords, w.windowChars);
    if (cueIn(st, unless.before, lo, s, undefined)) return true;
    const hi = windowAfter(text, e, cjk, w.afterWindowWords, w.afterWindowChars);
    if (cueIn(st, unless.after, e, hi, undefined)) return true;
  }
  return false;
}

/** A leaf's hits for the current rule, negation-filtered once per call. */
function leafSpans(st: CallState, leaf: number): number[] {
  const cached = st.filtered.get(leaf);
  if (cached) return cached;
  const raw = st.leafHits[leaf] ?? [];
  const lazy = st.anchorSegs.has(leaf);
  const rule = st.rule as CompiledRule;
  let out = raw;
  if (rule.negation || rule.unless) {
    out = [];
    for (let k = 0; k < raw.length; k += 2) {
      const s = raw[k] as number;
      const e = raw[k + 1] as number;
      if (!suppressed(st, rule, s, e)) out.push(s, e);
    }
  }
  // anchored regex hits grow as more segments are examined: never cache them
  if (!lazy) st.filtered.set(leaf, out);
  return out;
}

/** Runs an anchored regex on the segments of `scope` where its anchors occur, once per segment. */
function ensureRegex(st: CallState, leaf: number, scope: Scope): void {
  const segs = st.anchorSegs.get(leaf);
  if (!segs) return;
  const regex = st.compiled.leaves[leaf]?.regex?.regex;
  if (!regex) return;
  for (const seg of segs) {
    if (scope.mask ? scope.mask[seg] !== 1 : seg !== scope.seg) continue;
    const key = leaf * 65536 + seg;
    if (st.regexRun.has(key)) continue;
    st.regexRun.add(key);
    runRegex(st, leaf, regex, st.segStart[seg] as number, st.segEnd[seg] as number);
  }
}

/** Scope: a single segment (mask null) or a set of segments. */
interface Scope {
  seg: number;
  mask: Uint8Array | null;
}

function inScope(st: CallState, scope: Scope, s: number): boolean {
  if (scope.mask) return scope.mask[segmentOf(st, s)] === 1;
  return s >= (st.segStart[scope.seg] as number) && s < (st.segEnd[scope.seg] as number);
}

function gapSize(text: string, from: number, to: number, unit: 'words' | 'chars'): number {
  if (to <= from) return 0;
  let count = 0;
  if (unit === 'chars') {
    for (let i = from; i < to; i++) if (text.charCodeAt(i) !== SPACE) count++;
    return count;
  }
  let inWord = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const wordish = c !== SPACE && c !== CLAUSE_CODE;
    if (wordish && !inWord) count++;
    inWord = wordish;
  }
  return count;
}

const MAX_SPANS = 64;

function evaluate(st: CallState, node: CompiledNode, scope: Scope): Spans {
  switch (node.t) {
    case 'leaf': {
      ensureRegex(st, node.leaf, scope);
      const spans = leafSpans(st, node.leaf);
      let out: number[] | null = null;
      for (let k = 0; k < spans.length; k += 2) {
        if (inScope(st, scope, spans[k] as number)) (out ??= []).push(spans[k] as number, spans[k + 1] as number);
      }
      return out;
    }
    case 'any': {
      let out: number[] | null = null;
      for (const child of node.children) {
        const r = evaluate(st, child, scope);
        if (r) out = out ? out.concat(r) : r;
      }
      return out;
    }
    case 'all': {
      // the evidence is the first condition that matched text: later ones are context ("…in a sentence about 投资")
      let out: number[] | null = null;
      for (const child of node.children) {
        const r = evaluate(st, child, scope);
        if (!r) return null;
        if (!out && r.length > 0) out = r;
      }
      return out ?? [];
    }
    case 'not':
      return evaluate(st, node.child, scope) ? null : [];
    case 'near': {
      const a = evaluate(st, node.a, scope);
      if (!a || a.length === 0) return null;
      const b = evaluate(st, node.b, scope);
      if (!b || b.length === 0) return null;
      const out: number[] = [];
      for (let i = 0; i < a.length && out.length < MAX_SPANS; i += 2) {
        const as = a[i] as number;
        const ae = a[i + 1] as number;
        const seg = segmentOf(st, as);
        for (let j = 0; j < b.length; j += 2) {
          const bs = b[j] as number;
          const be = b[j + 1] as number;
          if (node.ordered && bs < ae) continue;
          if (segmentOf(st, bs) !== seg) continue;
          const unit = node.unit === 'auto' ? (isCjk(st.text.charCodeAt(as)) || isCjk(st.text.charCodeAt(bs)) ? 'chars' : 'words') : node.unit;
          const gap = ae <= bs ? gapSize(st.text, ae, bs, unit) : be <= as ? gapSize(st.text, be, as, unit) : 0;
          if (gap <= node.within) {
            out.push(Math.min(as, bs), Math.max(ae, be));
            break;
          }
        }
      }
      return out.length > 0 ? out : null;
    }
  }
}

function runRegex(st: CallState, leaf: number, regex: PatternMatcher, from: number, to: number): void {
  const text = st.text;
  const hay = from === 0 && to === text.length ? text : text.slice(from, to);
  let list = st.leafHits[leaf];
  regex.forEachMatch(hay, (start, end) => {
    const s = from + start;
    const e = from + end;
    if (text.slice(s, e).includes('\n')) return;
    (list ??= []).push(s, e);
  });
  st.leafHits[leaf] = list;
}

function detectLanguage(transcriptLanguage: string | undefined, text: string, override?: string): string {
  const lang = (override ?? transcriptLanguage ?? '').toLowerCase();
  if (lang.startsWith('zh') || lang.startsWith('cmn') || lang.startsWith('yue')) return 'zh';
  if (lang.length > 0) return lang.slice(0, 2);
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) cjk++;
    else if (c >= 0x61 && c <= 0x7a) latin++;
  }
  // a Chinese character carries about as much as a three-to-four-letter word
  return cjk * 3 >= latin ? 'zh' : 'en';
}

function speakerMatches(rule: CompiledRule, seg: TranscriptSegment, unknownMatches: boolean): boolean {
  const want = rule.rule.speaker;
  if (want === 'any') return true;
  if (seg.speaker === 'unknown') return unknownMatches;
  return seg.speaker === want;
}

function timeMatches(rule: CompiledRule, seg: TranscriptSegment, duration: number): boolean {
  const time = rule.rule.time;
  if (!time) return true;
  if ('first' in time) return seg.start < time.first;
  return seg.end > duration - time.last;
}

/** Seconds of a character span: from word timings when the segment has them, else the segment's own. */
function spanSeconds(seg: TranscriptSegment, charStart: number, charEnd: number): { startSeconds: number; endSeconds: number } {
  const words = seg.words;
  if (words && words.length > 0) {
    const lower = seg.text.toLowerCase();
    let cursor = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (const w of words) {
      const token = w.w.trim().toLowerCase();
      if (token.length === 0) continue;
      const at = lower.indexOf(token, cursor);
      if (at < 0) return { startSeconds: seg.start, endSeconds: seg.end };
      const end = at + token.length;
      cursor = end;
      if (end > charStart && at < charEnd) {
        first ??= w.start;
        last = w.end;
      }
    }
    if (first !== null && last !== null) return { startSeconds: first, endSeconds: last };
  }
  return { startSeconds: seg.start, endSeconds: seg.end };
}

function evidenceFor(st: CallState, spans: number[]): FindingEvidence | undefined {
  let best = -1;
  for (let k = 0; k < spans.length; k += 2) if (best < 0 || (spans[k] as number) < (spans[best] as number)) best = k;
  if (best < 0) return undefined;
  const s = spans[best] as number;
  const e = spans[best + 1] as number;
  const segmentIndex = segmentOf(st, s);
  const seg = st.segments.at(segmentIndex) as TranscriptSegment;
  const exact = st.origStart !== null && st.origEnd !== null;
  const charStart = exact ? (st.origStart?.[s] as number) : s - (st.segStart[segmentIndex] as number);
  const charEnd = exact ? (st.origEnd?.[e - 1] as number) : e - (st.segStart[segmentIndex] as number);
  return {
    segmentIndex,
    charStart,
    charEnd,
    ...spanSeconds(seg, charStart, charEnd),
    text: exact ? seg.text.slice(charStart, charEnd) : st.text.slice(s, e),
  };
}

function draft(rule: CompiledRule, dedupeKey: string, evidence: FindingEvidence | undefined): FindingDraft {
  const r = rule.rule;
  const out: FindingDraft = {
    dedupeKey,
    source: 'rule',
    ruleId: r.id,
    ruleVersion: rule.ruleVersion,
    family: r.family,
    severity: r.severity,
    dimension: r.dimension,
    description: r.description,
  };
  if (evidence) out.evidence = evidence;
  return out;
}

/** Runs compiled rules over a transcript; pure and deterministic (same input, same findings, same dedupe keys). */
export function runRules(compiled: CompiledRules, transcript: NormalisedTranscript, opts: RunRulesOptions = {}): FindingDraft[] {
  const segments = transcript.segments;
  if (segments.length === 0) return [];
  return runOnNormalised(compiled, segments, normaliseSegments(segments.map((s) => s.text)), transcript.language, opts);
}

/**
 * Runs compiled rules over a transcript's stored searchable form: the same rules fire on the same segments as
 * `runRules` on the transcript, but evidence is in the normalised text (offsets, quote) with the segment's times,
 * and dedupe keys use those offsets. For counting and comparing hits (backtests), not for storing findings.
 */
export function runRulesOnSearchable(compiled: CompiledRules, searchable: SearchableTranscript, opts: RunRulesOptions = {}): FindingDraft[] {
  const { text, speakers, times } = searchable;
  const n = speakers.length;
  if (n === 0) return [];
  const segStart = new Int32Array(n);
  const segEnd = new Int32Array(n);
  let from = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf(SEGMENT, from);
    const end = nl < 0 ? text.length : nl;
    segStart[i] = from;
    segEnd[i] = end;
    from = end + 1;
  }
  // evidence quotes the normalised text itself (origStart null), so a segment's own text is never read
  const segments: Segments = {
    length: n,
    at: (i) => (i >= 0 && i < n ? { speaker: speakerOfCode(speakers.charCodeAt(i)), start: times[2 * i] as number, end: times[2 * i + 1] as number, text: '' } : undefined),
  };
  return runOnNormalised(compiled, segments, { text, origStart: null, origEnd: null, segStart, segEnd }, searchable.language, opts);
}

function runOnNormalised(
  compiled: CompiledRules,
  segments: Segments,
  norm: Omit<NormalisedText, 'origStart' | 'origEnd'> & { origStart: Int32Array | null; origEnd: Int32Array | null; segStart: Int32Array; segEnd: Int32Array },
  transcriptLanguage: string | undefined,
  opts: RunRulesOptions,
): FindingDraft[] {
  const st: CallState = {
    compiled,
    segments,
    text: norm.text,
    origStart: norm.origStart,
    origEnd: norm.origEnd,
    segStart: norm.segStart,
    segEnd: norm.segEnd,
    leafHits: new Array<number[] | undefined>(compiled.leaves.length),
    cueHits: new Array<number[]>(compiled.cueGroupCount),
    filtered: new Map(),
    rule: null,
    anchorSegs: new Map(),
    regexRun: new Set(),
  };
  const hits = new HitList();
  compiled.automaton.scan(st.text, hits);
  const active = new Uint8Array(compiled.rules.length);
  const { sinkStart, sinks, leaves } = compiled;
  const data = hits.data;
  for (let h = 0; h < hits.length; h += 3) {
    const pid = data[h] as number;
    const s = data[h + 1] as number;
    const e = data[h + 2] as number;
    for (let k = sinkStart[pid] as number; k < (sinkStart[pid + 1] as number); k++) {
      const sink = sinks[k] as number;
      if (sink < 0) {
        (st.cueHits[-sink - 1] ??= []).push(s, e);
        continue;
      }
      const info = leaves[sink];
      if (!info) continue;
      if (info.anchorFor !== undefined) {
        const seg = segmentOf(st, s);
        let segs = st.anchorSegs.get(info.anchorFor);
        if (!segs) st.anchorSegs.set(info.anchorFor, (segs = []));
        if (segs[segs.length - 1] !== seg && !segs.includes(seg)) segs.push(seg);
        active[info.rule] = 1;
        continue;
      }
      (st.leafHits[sink] ??= []).push(s, e);
      active[info.rule] = 1;
    }
  }
  for (const leaf of compiled.unanchoredRegexLeaves) {
    const info = leaves[leaf];
    if (!info?.regex) continue;
    runRegex(st, leaf, info.regex.regex, 0, st.text.length);
    if (st.leafHits[leaf]) active[info.rule] = 1;
  }
  let duration = opts.callDurationSeconds ?? 0;
  if (opts.callDurationSeconds === undefined) for (let i = 0; i < segments.length; i++) duration = Math.max(duration, (segments.at(i) as TranscriptSegment).end);
  const unknownMatches = opts.unknownSpeakerMatches ?? true;
  const language = detectLanguage(transcriptLanguage, st.text, opts.language);
  const findings: FindingDraft[] = [];
  const n = segments.length;

  const policies = opts.policies ?? [];
  for (const rule of compiled.rules) {
    const r = rule.rule;
    if (!r.required && active[rule.index] !== 1) continue;
    if (r.policy !== undefined && !policies.includes(r.policy)) continue;
    st.rule = rule;
    st.filtered = new Map();
    if (!r.required) {
      const candidates = new Set<number>();
      for (const leaf of rule.triggerLeaves) {
        const anchored = st.anchorSegs.get(leaf);
        if (anchored) {
          for (const seg of anchored) candidates.add(seg);
          continue;
        }
        const spans = leafSpans(st, leaf);
        for (let k = 0; k < spans.length; k += 2) candidates.add(segmentOf(st, spans[k] as number));
      }
      for (const seg of [...candidates].sort((a, b) => a - b)) {
        const segment = segments.at(seg) as TranscriptSegment;
        if (!speakerMatches(rule, segment, unknownMatches) || !timeMatches(rule, segment, duration)) continue;
        const spans = evaluate(st, rule.match, { seg, mask: null });
        if (!spans) continue;
        const evidence = evidenceFor(st, spans);
        findings.push(draft(rule, `rule:${r.id}:${seg}:${evidence?.charStart ?? 0}`, evidence));
      }
      continue;
    }
    if (rule.language !== 'any' && rule.language !== language) continue;
    const speakerMask = new Uint8Array(n);
    const scopeMask = new Uint8Array(n);
    let anyInScope = false;
    for (let i = 0; i < n; i++) {
      const segment = segments.at(i) as TranscriptSegment;
      if (!speakerMatches(rule, segment, unknownMatches)) continue;
      speakerMask[i] = 1;
      if (timeMatches(rule, segment, duration)) {
        scopeMask[i] = 1;
        anyInScope = true;
      }
    }
    let trigger: number[] | null = null;
    if (rule.when) {
      trigger = evaluate(st, rule.when, { seg: -1, mask: speakerMask });
      if (!trigger) continue;
    }
    const present = anyInScope ? evaluate(st, rule.match, { seg: -1, mask: scopeMask }) : null;
    if (present) continue;
    let evidence = trigger ? evidenceFor(st, trigger) : undefined;
    if (!evidence && r.time) {
      evidence = 'first' in r.time
        ? { startSeconds: 0, endSeconds: Math.min(r.time.first, duration) }
        : { startSeconds: Math.max(0, duration - r.time.last), endSeconds: duration };
    }
    findings.push(draft(rule, `rule:${r.id}:absent`, evidence));
  }
  return dropSuperseded(compiled, findings);
}

/** Drops the hits of rules that yield to a family found in the same segment (one turn, the stronger finding). */
function dropSuperseded(compiled: CompiledRules, findings: FindingDraft[]): FindingDraft[] {
  if (compiled.yields.size === 0 || !findings.some((f) => compiled.yields.has(f.ruleId))) return findings;
  const found = new Set<string>();
  for (const f of findings) if (f.evidence?.segmentIndex !== undefined) found.add(`${f.family}:${f.evidence.segmentIndex}`);
  return findings.filter((f) => {
    const yields = compiled.yields.get(f.ruleId);
    const seg = f.evidence?.segmentIndex;
    return !yields || seg === undefined || !yields.some((fam) => found.has(`${fam}:${seg}`));
  });
}
