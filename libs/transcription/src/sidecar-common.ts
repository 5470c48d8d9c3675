import type { Speaker, TranscriptSegment } from '#libs/domain';
import { InvalidTranscriptError } from './invalid-transcript.error.js';

export interface SidecarHint {
  filename?: string;
  contentType?: string;
  /** for channel-labelled transcripts (AWS ch_0/ch_1): which channel is the agent; ch_0 is left */
  agentChannel?: 'left' | 'right';
  /** speaker name/label → role, e.g. { spk_0: 'agent', 'Alice': 'agent' }; case-insensitive */
  speakerMap?: Record<string, Speaker>;
}

const AGENT_NAMES = new Set(['agent', 'rep', 'representative', 'csr', 'advisor', 'adviser', 'operator', 'staff', 'salesperson',
  '坐席', '客服', '销售', '顾问', '业务员', '员工', '座席', '客服人员', '理财顾问']);
const CUSTOMER_NAMES = new Set(['customer', 'caller', 'client', 'cust', 'consumer', 'prospect', '客户', '顾客', '用户', '来电者', '消费者']);

/** Maps a speaker name from a sidecar to a role: the hint's map first, then well-known English/Chinese role names. */
export function roleFromName(name: string, hint: SidecarHint): Speaker {
  const n = name.trim().toLowerCase();
  for (const [k, v] of Object.entries(hint.speakerMap ?? {})) if (k.trim().toLowerCase() === n) return v;
  if (AGENT_NAMES.has(n)) return 'agent';
  if (CUSTOMER_NAMES.has(n)) return 'customer';
  return 'unknown';
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** Joins recognised tokens: a space between Latin words, none next to CJK characters or before punctuation. */
export function joinTokens(tokens: Array<{ text: string; punctuation?: boolean }>): string {
  let out = '';
  for (const t of tokens) {
    if (!out || t.punctuation || CJK.test(out[out.length - 1]) || CJK.test(t.text[0] ?? '')) out += t.text;
    else out += ' ' + t.text;
  }
  return out;
}

/** a week, the longest call Earshot takes (metadata's durationSeconds has the same bound) */
const MAX_TIME_SECONDS = 7 * 24 * 3600;
/** no one talks for fifteen minutes in one transcript segment */
const MAX_SEGMENT_SECONDS = 15 * 60;
const OVERLAP_TOLERANCE_SECONDS = 1;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (text: string) => text.includes('\0') || LONE_SURROGATE.test(text);

/**
 * Rejects overlapping nonsense: negative times, end before start, empty text, unsorted segments, and text no database
 * can store (NUL, a lone surrogate), which would otherwise fail every retry of the transcribe stage.
 */
export function checkSegments(segments: TranscriptSegment[], what: (i: number) => string): void {
  let prevStart = -Infinity;
  const speakerEnds = new Map<string, number>();
  segments.forEach((s, i) => {
    if (!(s.start >= 0) || !Number.isFinite(s.start)) throw new InvalidTranscriptError(`${what(i)}: start ${s.start} is not a time >= 0`);
    if (!(s.end >= s.start) || !Number.isFinite(s.end)) throw new InvalidTranscriptError(`${what(i)}: end ${s.end} is before start ${s.start}`);
    if (!s.text.trim()) throw new InvalidTranscriptError(`${what(i)}: text is empty`);
    if (unstorable(s.text) || s.words?.some((w) => unstorable(w.w))) {
      throw new InvalidTranscriptError(`${what(i)}: text holds a NUL character or a lone surrogate (not storable text)`);
    }
    if (s.start < prevStart) throw new InvalidTranscriptError(`${what(i)}: starts at ${s.start}, before the previous segment (${prevStart}); segments must be in time order`);
    prevStart = s.start;
    // times in milliseconds read as seconds make a call of days, or one utterance of many minutes
    if (s.end > MAX_TIME_SECONDS || s.end - s.start > MAX_SEGMENT_SECONDS) {
      throw new InvalidTranscriptError(`${what(i)}: runs from ${s.start} to ${s.end}; times are seconds (are these milliseconds?)`);
    }
    // one person does not say two things at once ('unknown' may be several people)
    const sameSpeakerEnd = speakerEnds.get(s.speaker);
    if (s.speaker !== 'unknown' && sameSpeakerEnd !== undefined && s.start < sameSpeakerEnd - OVERLAP_TOLERANCE_SECONDS) {
      throw new InvalidTranscriptError(`${what(i)}: ${s.speaker} starts at ${s.start}, while their previous segment runs to ${sameSpeakerEnd}; a speaker's segments cannot overlap`);
    }
    speakerEnds.set(s.speaker, Math.max(sameSpeakerEnd ?? 0, s.end));
    s.words?.forEach((w, j) => {
      if (!(w.end >= w.start) || w.start < 0) throw new InvalidTranscriptError(`${what(i)}.words[${j}]: end ${w.end} is before start ${w.start}`);
    });
  });
}

/** 'en-US' → 'en', 'zh-CN' → 'zh', 'cmn' stays; undefined stays undefined. */
export function languageTag(code: string | undefined): string | undefined {
  if (!code) return undefined;
  return code.trim().split(/[-_]/)[0].toLowerCase() || undefined;
}
