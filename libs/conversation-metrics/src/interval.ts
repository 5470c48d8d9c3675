/** A span of time in seconds from the start of the recording, `start <= end`. */
export interface TimeInterval {
  start: number;
  end: number;
}

/** Sorted, non-overlapping copy of `intervals`, clamped to [0, limit]; touching spans are joined. */
export function normaliseIntervals(intervals: readonly TimeInterval[], limit = Infinity): TimeInterval[] {
  const clamped = intervals
    .map((i) => ({ start: Math.max(0, Math.min(i.start, limit)), end: Math.max(0, Math.min(i.end, limit)) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const out: TimeInterval[] = [];
  for (const i of clamped) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Total length of normalised intervals. */
export function totalLength(intervals: readonly TimeInterval[]): number {
  let sum = 0;
  for (const i of intervals) sum += i.end - i.start;
  return sum;
}

/** Intersection of two normalised interval lists. */
export function intersectIntervals(a: readonly TimeInterval[], b: readonly TimeInterval[]): TimeInterval[] {
  const out: TimeInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** Union of normalised interval lists. */
export function unionIntervals(...lists: readonly (readonly TimeInterval[])[]): TimeInterval[] {
  return normaliseIntervals(lists.flat());
}

/** Gaps of [from, to] not covered by the normalised `intervals`. */
export function complementIntervals(intervals: readonly TimeInterval[], from: number, to: number): TimeInterval[] {
  const out: TimeInterval[] = [];
  let cursor = from;
  for (const i of intervals) {
    if (i.end <= from) continue;
    if (i.start >= to) break;
    if (i.start > cursor) out.push({ start: cursor, end: i.start });
    cursor = Math.max(cursor, i.end);
  }
  if (cursor < to) out.push({ start: cursor, end: to });
  return out;
}
