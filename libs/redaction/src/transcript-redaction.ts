import type { TranscriptSegment, TranscriptWord } from '#libs/domain';
import {
  REDACTION_KINDS,
  REDACTION_TOKENS,
  type RedactionCounts,
  type RedactionKind,
  type RedactionOptions,
  type SensitiveMatch,
  applyRedactions,
  countMatches,
  emptyCounts,
  findSensitive,
} from './sensitive-text.js';

/** Seconds from the start of the recording. */
export interface TimeSpan {
  start: number;
  end: number;
}

/**
 * The version of the rules in findSensitive. Raise it when what they take changes: a stored redaction made by older
 * rules is stale (redactionIsCurrent), is redacted again when read, and the backfill re-makes it and the muted audio.
 */
export const REDACTION_RULES_VERSION = 2;

/** What is stored beside a redacted transcript (Transcript.redaction): counts per kind and the audio to mute. */
export interface TranscriptRedaction {
  counts: RedactionCounts;
  /** merged, sorted, padded spans of the recording that carry redacted speech */
  audioSpans: TimeSpan[];
  /** REDACTION_RULES_VERSION of the rules that made it; absent in redactions stored before versions existed */
  rules?: number;
  /** the kinds that were redacted; absent in redactions stored before kinds could be chosen (all four then) */
  kinds?: RedactionKind[];
}

/** Whether a stored redaction was made by the current rules for the same kinds (else it is to be made again). */
export function redactionIsCurrent(redaction: { rules?: number; kinds?: readonly string[] }, kinds: readonly RedactionKind[]): boolean {
  return redaction.rules === REDACTION_RULES_VERSION && redaction.kinds !== undefined && redaction.kinds.join(',') === kinds.join(',');
}

/** One redacted span: where it is in the segment's text and, padded, in the recording. */
export interface SegmentRedactionMatch {
  kind: RedactionKind;
  segmentIndex: number;
  /** UTF-16 offsets in the segment's original text, end exclusive */
  charStart: number;
  charEnd: number;
  /** seconds, padded */
  startSeconds: number;
  endSeconds: number;
  /** 'words': from the word timestamps that overlap the text; 'estimate': from the text position in the segment */
  timing: 'words' | 'estimate';
}

export interface RedactedTranscript {
  /** the segments with sensitive text replaced; unchanged segments are the same objects */
  segments: TranscriptSegment[];
  redaction: TranscriptRedaction;
  matches: SegmentRedactionMatch[];
}

export interface TranscriptRedactionOptions extends RedactionOptions {
  /** seconds added each side of a span timed by words (their timestamps are approximate); default 0.15 */
  wordPadSeconds?: number;
  /** seconds added each side of an estimated span, which is then clamped to its segment; default 0.25 */
  estimatePadSeconds?: number;
}

interface CharRange {
  start: number;
  end: number;
}

interface LocatedWord {
  word: TranscriptWord;
  /** char offsets of the word in the segment text; null when it could not be found there */
  at: CharRange | null;
}

function isPlaced(l: LocatedWord): l is { word: TranscriptWord; at: CharRange } {
  return l.at !== null;
}

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
// how far past the previous word a word may be found: farther, and it is more likely a later repeat of the token
const WORD_SEARCH_WINDOW = 40;

/** Places each word in the segment text, in order: ASR words are the text's tokens, give or take punctuation. */
function locateWords(text: string, words: readonly TranscriptWord[]): LocatedWord[] {
  const haystack = text.toLowerCase();
  let cursor = 0;
  return words.map((word) => {
    const raw = word.w.trim().toLowerCase();
    for (const token of [raw, raw.replace(EDGE_PUNCTUATION, '')]) {
      if (!token) continue;
      const index = haystack.indexOf(token, cursor);
      if (index >= 0 && index - cursor <= WORD_SEARCH_WINDOW) {
        cursor = index + token.length;
        return { word, at: { start: index, end: index + token.length } };
      }
    }
    return { word, at: null };
  });
}

// Relative speaking time of a character, for placing text in a segment that has no word timestamps: a digit or a
// Chinese character is a spoken syllable or word ("four", "四"), three letters' worth; '@' is "at".
function charWeight(ch: string): number {
  if (/[0-9\u3400-\u9fff\uf900-\ufaff]/.test(ch)) return 3;
  if (ch === '@') return 2;
  return 1;
}

function estimateSpan(segment: TranscriptSegment, match: SensitiveMatch, pad: number): TimeSpan {
  let before = 0;
  let inside = 0;
  let total = 0;
  for (let i = 0; i < segment.text.length; i++) {
    const w = charWeight(segment.text[i] as string);
    total += w;
    if (i < match.start) before += w;
    else if (i < match.end) inside += w;
  }
  const length = Math.max(0, segment.end - segment.start);
  const start = segment.start + (total > 0 ? (length * before) / total : 0);
  const end = segment.start + (total > 0 ? (length * (before + inside)) / total : length);
  return { start: Math.max(segment.start, start - pad), end: Math.min(segment.end, end + pad) };
}

function overlapping(located: readonly LocatedWord[], match: SensitiveMatch): LocatedWord[] {
  return located.filter((l) => l.at !== null && l.at.start < match.end && match.start < l.at.end);
}

/** Whether every letter and digit of the match lies inside a located word. */
function wordsCover(text: string, words: readonly LocatedWord[], match: SensitiveMatch): boolean {
  for (let i = match.start; i < match.end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i] as string)) continue;
    if (!words.some((l) => l.at !== null && l.at.start <= i && i < l.at.end)) return false;
  }
  return true;
}

function timeMatch(segment: TranscriptSegment, located: readonly LocatedWord[], match: SensitiveMatch, options: { wordPadSeconds: number; estimatePadSeconds: number }) {
  const estimate = estimateSpan(segment, match, options.estimatePadSeconds);
  const hits = overlapping(located, match);
  if (hits.length === 0) return { span: estimate, timing: 'estimate' as const, words: null };
  const words = {
    start: Math.min(...hits.map((h) => h.word.start)),
    end: Math.max(...hits.map((h) => h.word.end)),
  };
  const padded = { start: Math.max(0, words.start - options.wordPadSeconds), end: words.end + options.wordPadSeconds };
  // Some of the match's characters are in no located word: the words may not reach it all, so mute the estimate too.
  const span = wordsCover(segment.text, located, match)
    ? padded
    : { start: Math.min(padded.start, estimate.start), end: Math.max(padded.end, estimate.end) };
  return { span, timing: 'words' as const, words };
}

function mergeSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: TimeSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  // millisecond precision, rounded outwards: storage stays stable and the mute never shrinks
  // (the 1e-6 keeps 14.65 from flooring to 14.649 through its binary representation)
  return merged.map((s) => ({ start: Math.floor(s.start * 1000 + 1e-6) / 1000, end: Math.ceil(s.end * 1000 - 1e-6) / 1000 }));
}

/** Consecutive segments of one speaker: a number read out across two segments is still one number. */
function turnsOf(segments: readonly TranscriptSegment[]): number[][] {
  const turns: number[][] = [];
  segments.forEach((segment, index) => {
    const last = turns.at(-1);
    const previous = last && segments[last.at(-1) as number];
    if (previous && previous.speaker === segment.speaker && segment.start >= previous.start) last.push(index);
    else turns.push([index]);
  });
  return turns;
}

/**
 * The matches of each segment of a turn: the turn's texts are joined by a space and searched as one text, and a match
 * that crosses segments is cut into one piece per segment (counted once).
 */
function findInTurn(segments: readonly TranscriptSegment[], turn: readonly number[], options: RedactionOptions, counts: RedactionCounts): Map<number, SensitiveMatch[]> {
  const offsets: number[] = [];
  let joined = '';
  for (const index of turn) {
    if (joined) joined += ' ';
    offsets.push(joined.length);
    joined += (segments[index] as TranscriptSegment).text;
  }
  // the other speaker's last words before this turn: a question there is a cue for the turn's start
  const previous = segments[(turn[0] as number) - 1];
  const askedBefore = previous && previous.speaker !== (segments[turn[0] as number] as TranscriptSegment).speaker ? previous.text : undefined;
  const found = findSensitive(joined, { ...options, askedBefore });
  countMatches(found, counts);
  const perSegment = new Map<number, SensitiveMatch[]>();
  turn.forEach((index, k) => {
    const from = offsets[k] as number;
    const to = from + (segments[index] as TranscriptSegment).text.length;
    const pieces = found
      .filter((m) => m.start < to && from < m.end)
      .map((m) => ({ kind: m.kind, start: Math.max(m.start, from) - from, end: Math.min(m.end, to) - from }))
      .filter((m) => /[\p{L}\p{N}]/u.test((segments[index] as TranscriptSegment).text.slice(m.start, m.end)));
    if (pieces.length > 0) perSegment.set(index, pieces);
  });
  return perSegment;
}

/**
 * Redacts one transcript: every segment's sensitive text (findSensitive, searched over each speaker's turn so that a
 * number split across segments is found) replaced by its token, with each match's segment index, char range and
 * padded audio span (from overlapping word timestamps where the segment has them, else estimated from the text
 * position and clamped to the segment), and the merged spans to mute in the recording. A redacted segment keeps its
 * words only when all of them could be placed in the text; the words of a match become one word carrying the token.
 */
export function redactTranscript(segments: readonly TranscriptSegment[], options: TranscriptRedactionOptions = {}): RedactedTranscript {
  const opts = { wordPadSeconds: 0.15, estimatePadSeconds: 0.25, ...options };
  const counts = emptyCounts();
  const matches: SegmentRedactionMatch[] = [];
  const perSegment = new Map<number, SensitiveMatch[]>();
  const kinds = REDACTION_KINDS.filter((kind) => [...(options.kinds ?? REDACTION_KINDS)].includes(kind));
  for (const turn of turnsOf(segments)) {
    for (const [index, found] of findInTurn(segments, turn, { kinds }, counts)) perSegment.set(index, found);
  }
  const out = segments.map((segment, segmentIndex) => {
    const found = perSegment.get(segmentIndex);
    if (!found) return segment;
    const located = segment.words?.length ? locateWords(segment.text, segment.words) : [];
    const tokenWords: TranscriptWord[] = [];
    for (const match of found) {
      const timed = timeMatch(segment, located, match, opts);
      matches.push({
        kind: match.kind,
        segmentIndex,
        charStart: match.start,
        charEnd: match.end,
        startSeconds: timed.span.start,
        endSeconds: timed.span.end,
        timing: timed.timing,
      });
      const at = timed.words ?? estimateSpan(segment, match, 0);
      tokenWords.push({ w: REDACTION_TOKENS[match.kind], start: at.start, end: at.end });
    }
    const redacted: TranscriptSegment = { ...segment, text: applyRedactions(segment.text, found) };
    delete redacted.words;
    const placed = located.filter(isPlaced);
    if (located.length > 0 && placed.length === located.length) {
      const kept = placed.filter((l) => !found.some((m) => l.at.start < m.end && m.start < l.at.end));
      redacted.words = [...kept.map((l) => l.word), ...tokenWords].sort((a, b) => a.start - b.start);
    }
    return redacted;
  });
  const audioSpans = mergeSpans(matches.map((m) => ({ start: m.startSeconds, end: m.endSeconds })));
  return { segments: out, redaction: { counts, audioSpans, rules: REDACTION_RULES_VERSION, kinds }, matches };
}

/** Total of all kinds. */
export function totalRedactions(counts: Partial<RedactionCounts>): number {
  return REDACTION_KINDS.reduce((sum, kind) => sum + (counts[kind] ?? 0), 0);
}
