import { mergeWindows, PeakAccumulator } from './waveform-peaks.js';

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

describe('PeakAccumulator', () => {
  const block = (values: number[][]) => values.map((v) => Float32Array.from(v));

  it('keeps the loudest sample of every 10 ms across block boundaries, per channel', () => {
    const peaks = new PeakAccumulator(2);
    // 120 samples then 40: the second 10 ms window (samples 80..159) straddles the two blocks
    const left = Array.from({ length: 160 }, (_, i) => (i === 100 ? -0.8 : i === 150 ? 0.6 : 0.1));
    const right = Array.from({ length: 160 }, (_, i) => (i === 10 ? 0.5 : 0.05));
    peaks.add(block([left.slice(0, 120), right.slice(0, 120)]));
    peaks.add(block([left.slice(120), right.slice(120)]));
    expect(peaks.result(10)).toEqual({ durationSeconds: 0.02, channels: [[0.1, 0.8], [0.5, 0.05]] });
  });

  it('draws muted spans flat and merges to the buckets asked for', () => {
    const peaks = new PeakAccumulator(1);
    peaks.add(block([Array.from({ length: 800 }, () => 0.5)]));
    // 800 samples = ten 10 ms windows; 0.02..0.05 s muted
    expect(peaks.result(10, [{ start: 0.02, end: 0.05 }]).channels[0]).toEqual([0.5, 0.5, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5]);
    // the muting is drawn, not kept: the same recording unmuted is whole
    expect(peaks.result(5).channels[0]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});
