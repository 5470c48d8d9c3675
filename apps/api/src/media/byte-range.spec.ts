import { resolveByteRange } from './byte-range.js';

describe('resolveByteRange', () => {
  it.each([
    { header: undefined, size: 100, expected: { kind: 'whole' } },
    { header: 'bytes=0-9', size: 100, expected: { kind: 'partial', start: 0, end: 9 } },
    { header: 'bytes=10-', size: 100, expected: { kind: 'partial', start: 10, end: 99 } },
    { header: 'bytes=90-500', size: 100, expected: { kind: 'partial', start: 90, end: 99 } },
    { header: 'bytes=-20', size: 100, expected: { kind: 'partial', start: 80, end: 99 } },
    { header: 'bytes=-500', size: 100, expected: { kind: 'partial', start: 0, end: 99 } },
    { header: 'BYTES = 5 - 5', size: 100, expected: { kind: 'partial', start: 5, end: 5 } },
    { header: 'bytes=100-', size: 100, expected: { kind: 'unsatisfiable' } },
    { header: 'bytes=150-160', size: 100, expected: { kind: 'unsatisfiable' } },
    { header: 'bytes=-0', size: 100, expected: { kind: 'unsatisfiable' } },
    { header: 'bytes=0-', size: 0, expected: { kind: 'unsatisfiable' } },
    // ignored: malformed, reversed or multi-range headers get the whole object
    { header: 'bytes=9-2', size: 100, expected: { kind: 'whole' } },
    { header: 'bytes=0-1,5-6', size: 100, expected: { kind: 'whole' } },
    { header: 'items=0-1', size: 100, expected: { kind: 'whole' } },
    { header: 'bytes=-', size: 100, expected: { kind: 'whole' } },
  ])('$header of $size bytes → $expected.kind', ({ header, size, expected }) => {
    expect(resolveByteRange(header, size)).toEqual(expected);
  });
});
