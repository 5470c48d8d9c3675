import type { FindingEvidence } from '#libs/domain';

export interface Span {
  start: number;
  end: number;
}

/**
 * Where a finding's evidence lies in the text shown: its recorded span when the text there is the evidence,
 * else the evidence's first occurrence (the shown text may be redacted, which moves offsets), else nothing.
 * Boundaries never split a surrogate pair, so no character is broken in two.
 */
export function evidenceSpan(text: string, evidence: FindingEvidence | null | undefined): Span | null {
  if (!evidence) return null;
  const quote = evidence.text?.trim();
  if (evidence.charStart !== undefined && evidence.charEnd !== undefined && evidence.charEnd > evidence.charStart) {
    const span = { start: evidence.charStart, end: evidence.charEnd };
    if (!quote || text.slice(span.start, span.end) === quote) return wholeCharacters(text, span);
  }
  if (quote) {
    const at = text.indexOf(quote);
    if (at >= 0) return wholeCharacters(text, { start: at, end: at + quote.length });
  }
  return null;
}

/** Splits text into plain and highlighted pieces; overlapping spans merge. */
export function splitBySpans(text: string, spans: Span[]): { text: string; highlighted: boolean }[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const pieces: { text: string; highlighted: boolean }[] = [];
  let at = 0;
  for (const span of merged) {
    const start = Math.max(at, Math.min(span.start, text.length));
    const end = Math.min(span.end, text.length);
    if (start > at) pieces.push({ text: text.slice(at, start), highlighted: false });
    if (end > start) pieces.push({ text: text.slice(start, end), highlighted: true });
    at = Math.max(at, end);
  }
  if (at < text.length) pieces.push({ text: text.slice(at), highlighted: false });
  return pieces;
}

function wholeCharacters(text: string, span: Span): Span {
  const isLowSurrogate = (index: number) => {
    const code = text.charCodeAt(index);
    return code >= 0xdc00 && code <= 0xdfff;
  };
  let { start, end } = span;
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  if (start > 0 && isLowSurrogate(start)) start--;
  if (end < text.length && isLowSurrogate(end)) end++;
  return { start, end };
}
