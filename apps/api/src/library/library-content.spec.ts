import { exportPosition, formatExcerpt, formatTimestamp, monthOf, normaliseTopic, normaliseTopics, segmentsInSpan } from './library-content.js';

describe('topic normalisation', () => {
  it.each([
    ['  Price Objection ', 'price objection'],
    ['Promised\t  RETURNS', 'promised returns'],
    ['保本', '保本'],
    ['   ', ''],
  ])('normaliseTopic(%j) = %j', (raw, expected) => {
    expect(normaliseTopic(raw)).toBe(expected);
  });

  it.each<[string[], string[]]>([
    [['Price objection', 'price  objection', ' PRICE OBJECTION '], ['price objection']],
    [['b', 'a', 'B', ''], ['b', 'a']],
    [[], []],
    [['  ', '\t'], []],
  ])('normaliseTopics(%j) = %j (first occurrence keeps its place, empties dropped)', (raw, expected) => {
    expect(normaliseTopics(raw)).toEqual(expected);
  });
});

describe('segments in a span', () => {
  const segments = [
    { start: 7, end: 12.25, text: 'c' },
    { start: 0.5, end: 3.64, text: 'a' },
    { start: 4.04, end: 6.3, text: 'b' },
    { start: 13.5, end: 15.91, text: 'd' },
  ];
  it.each<[string, number, number, string[]]>([
    ['the one segment inside', 7.5, 11, ['c']],
    ['partial overlap at both ends, in time order', 5, 8, ['b', 'c']],
    ['a gap between segments', 12.3, 13.4, []],
    ['touching an edge is not overlapping', 3.64, 4.04, []],
    ['the whole call', 0, 30, ['a', 'b', 'c', 'd']],
    ['a point inside a segment', 9, 9, ['c']],
    ['a point on a boundary', 7, 7, ['c']],
    ['a point in a gap', 6.5, 6.5, []],
  ])('%s: [%d, %d]', (_name, start, end, expected) => {
    expect(segmentsInSpan(segments, start, end).map((s) => s.text)).toEqual(expected);
  });

  it('does not reorder the caller’s array', () => {
    const copy = [...segments];
    segmentsInSpan(segments, 0, 30);
    expect(segments).toEqual(copy);
  });
});

describe('excerpt text', () => {
  it.each<[number, string]>([
    [0, '00:00.0'],
    [7, '00:07.0'],
    [67.25, '01:07.3'],
    [599.96, '10:00.0'],
    [3723, '1:02:03.0'],
  ])('formatTimestamp(%d) = %s', (seconds, expected) => {
    expect(formatTimestamp(seconds)).toBe(expected);
  });

  it('writes a header and one timed line per segment', () => {
    const text = formatExcerpt({ callId: 'call-1', start: 7, end: 12.25 }, [
      { speaker: 'agent', start: 7, end: 12.25, text: ' My card is [CARD]. ' },
      { speaker: 'customer', start: 12, end: 13, text: 'ok' },
    ]);
    expect(text).toBe(
      'call call-1, 00:07.0–00:12.3 (redacted transcript)\n\n[00:07.0–00:12.3] agent: My card is [CARD].\n[00:12.0–00:13.0] customer: ok\n',
    );
  });

  it('says when there is no transcript or no speech in the span', () => {
    expect(formatExcerpt({ callId: 'c', start: 0, end: 1 }, null)).toContain('(the call has no transcript)');
    expect(formatExcerpt({ callId: 'c', start: 0, end: 1 }, [])).toContain('(no transcribed speech in this span)');
  });

  it('numbers export files so they sort in collection order', () => {
    expect([exportPosition(0), exportPosition(9), exportPosition(99)]).toEqual(['001', '010', '100']);
  });
});

describe('monthOf', () => {
  it.each<[string, string, string]>([
    ['2026-12-01T05:58:08Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-02-28T23:59:59Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
  ])('%s is in [%s, %s)', (now, from, to) => {
    const month = monthOf(new Date(now));
    expect([month.from.toISOString(), month.to.toISOString()]).toEqual([from, to]);
  });
});
