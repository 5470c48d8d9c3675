import { mergeWindows } from './waveform-peaks.js';

describe('mergeWindows', () => {
  it.each([
    { windows: [0.1, 0.5, 0.2, 0.9, 0.3], buckets: 2, expected: [0.5, 0.9] },
    { windows: [0.1, 0.5, 0.2], buckets: 10, expected: [0.1, 0.5, 0.2] },
    { windows: [0.12345, 0.5, 0.25, 0.75], buckets: 2, expected: [0.5, 0.75] },
    { windows: [0.12345], buckets: 1, expected: [0.123] },
    { windows: [], buckets: 4, expected: [] },
  ])('keeps the largest of each run: $windows into $buckets', ({ windows, buckets, expected }) => {
    expect(mergeWindows(windows, buckets)).toEqual(expected);
  });
});
