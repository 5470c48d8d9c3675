import { decodePcm } from './decode-pcm.js';

const SAMPLE_RATE = 8000;
// one max per 10 ms first: a 60-minute call is 360,000 windows per channel, then merged down to the buckets asked for
const WINDOW_SAMPLES = 80;

export interface WaveformPeaks {
  durationSeconds: number;
  /** per channel, the largest absolute sample of each bucket, in [0, 1], rounded to 3 decimals */
  channels: number[][];
}

/** The waveform a player draws, in `buckets` points per channel, without sending it the whole recording. */
export async function waveformPeaks(path: string, channels: 1 | 2, buckets: number): Promise<WaveformPeaks> {
  const windows: number[][] = Array.from({ length: channels }, () => []);
  let samples = 0;
  for await (const block of decodePcm(path, { sampleRate: SAMPLE_RATE, channels, frameSamples: WINDOW_SAMPLES })) {
    block.forEach((data, channel) => {
      const out = windows[channel] as number[];
      for (let start = 0; start < data.length; start += WINDOW_SAMPLES) {
        let peak = 0;
        const end = Math.min(start + WINDOW_SAMPLES, data.length);
        for (let i = start; i < end; i++) {
          const value = Math.abs(data[i] as number);
          if (value > peak) peak = value;
        }
        out.push(peak);
      }
    });
    samples += block[0]?.length ?? 0;
  }
  return { durationSeconds: samples / SAMPLE_RATE, channels: windows.map((w) => mergeWindows(w, buckets)) };
}

/** Reduces per-window peaks to at most `buckets` by taking the max of each run. */
export function mergeWindows(windows: number[], buckets: number): number[] {
  const size = Math.max(1, Math.ceil(windows.length / buckets));
  const merged: number[] = [];
  for (let start = 0; start < windows.length; start += size) {
    let peak = 0;
    for (let i = start; i < Math.min(start + size, windows.length); i++) peak = Math.max(peak, windows[i] as number);
    merged.push(Math.round(peak * 1000) / 1000);
  }
  return merged;
}
