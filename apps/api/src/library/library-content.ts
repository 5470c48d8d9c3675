// Pure helpers of the trainer library: topics, spans of transcripts, excerpt text and export file names.

export const MAX_TOPICS = 20;
export const MAX_TOPIC_LENGTH = 80;

/** A topic as stored and searched: trimmed, inner whitespace collapsed to one space, lower-cased. */
export function normaliseTopic(raw: string): string {
  return raw.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** Topics as stored: each normalised, empty ones dropped, duplicates dropped (first occurrence keeps its place). */
export function normaliseTopics(raw: readonly string[]): string[] {
  return [...new Set(raw.map(normaliseTopic).filter((topic) => topic !== ''))];
}

export interface TimedSegment {
  start: number;
  end: number;
}

/**
 * The segments that share time with [start, end], in time order. Touching at an edge is not sharing; a
 * zero-length span (a point) picks the segments that contain the point.
 */
export function segmentsInSpan<T extends TimedSegment>(segments: readonly T[], start: number, end: number): T[] {
  const overlapping = segments.filter((segment) =>
    end > start
      ? Math.max(segment.start, start) < Math.min(segment.end, end)
      : segment.start <= start && start <= segment.end,
  );
  return overlapping.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** 67.25 -> "01:07.3"; past an hour "1:02:03.0". */
export function formatTimestamp(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const hours = Math.floor(tenths / 36_000);
  const minutes = Math.floor((tenths % 36_000) / 600);
  const secs = (tenths % 600) / 10;
  const mmss = `${String(minutes).padStart(2, '0')}:${secs.toFixed(1).padStart(4, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

export interface ExcerptSegment extends TimedSegment {
  speaker: string;
  text: string;
}

/** The excerpt file: a header naming the call and span, then one "[from–to] speaker: text" line per segment. */
export function formatExcerpt(header: { callId: string; start: number; end: number }, segments: readonly ExcerptSegment[] | null): string {
  const lines = [`call ${header.callId}, ${formatTimestamp(header.start)}–${formatTimestamp(header.end)} (redacted transcript)`, ''];
  if (segments === null) lines.push('(the call has no transcript)');
  else if (segments.length === 0) lines.push('(no transcribed speech in this span)');
  else {
    for (const segment of segments) {
      lines.push(`[${formatTimestamp(segment.start)}–${formatTimestamp(segment.end)}] ${segment.speaker}: ${segment.text.trim()}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Position of an item in an export, zero-padded so the files sort in collection order. */
export function exportPosition(index: number): string {
  return String(index + 1).padStart(3, '0');
}

/** [first instant of the month of `now`, first instant of the next month), in UTC. */
export function monthOf(now: Date): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}
