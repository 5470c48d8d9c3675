import { decodePcm, type PcmBlock } from './decode-pcm.js';

const SAMPLE_RATE = 8000;
// one max per 10 ms first: a 60-minute call is 360,000 windows per channel, then merged down to the buckets asked for
const WINDOW_SAMPLES = 80;
const WINDOW_SECONDS = WINDOW_SAMPLES / SAMPLE_RATE;

export interface WaveformPeaks {
  durationSeconds: number;
  /** per channel, the largest absolute sample of each bucket, in [0, 1], rounded to 3 decimals */
  channels: number[][];
}

/**
 * Collects a waveform from 8 kHz PCM blocks as they are decoded, so a stage that decodes a recording anyway (voice
 * activity) draws its waveform in the same pass instead of decoding it again.
 */
export class PeakAccumulator {
  private readonly windows: number[][];
  private readonly running: number[];
  private filled = 0;
  private samples = 0;

  constructor(readonly channelCount: number) {
    this.windows = Array.from({ length: channelCount }, () => []);
    this.running = new Array<number>(channelCount).fill(0);
  }

  add(block: PcmBlock): void {
    const length = block[0]?.length ?? 0;
    for (let i = 0; i < length; i++) {
      for (let c = 0; c < this.channelCount; c++) {
        const value = Math.abs((block[c] as Float32Array)[i] as number);
        if (value > (this.running[c] as number)) this.running[c] = value;
      }
      if (++this.filled === WINDOW_SAMPLES) this.flush();
    }
    this.samples += length;
  }

  /** The waveform in at most `buckets` points per channel; `silent` spans (seconds) are drawn flat, as they were muted. */
  result(buckets: number, silent: readonly { start: number; end: number }[] = []): WaveformPeaks {
    if (this.filled > 0) this.flush();
    const channels = this.windows.map((windows) => {
      const drawn = [...windows];
      for (const span of silent) {
        const to = Math.min(Math.ceil(span.end / WINDOW_SECONDS), drawn.length);
        for (let w = Math.max(0, Math.floor(span.start / WINDOW_SECONDS)); w < to; w++) drawn[w] = 0;
      }
      return mergeWindows(drawn, buckets);
    });
    return { durationSeconds: this.samples / SAMPLE_RATE, channels };
  }

  private flush(): void {
    for (let c = 0; c < this.channelCount; c++) {
      (this.windows[c] as number[]).push(this.running[c] as number);
      this.running[c] = 0;
    }
    this.filled = 0;
  }
}

/** The waveform a player draws, in `buckets` points per channel, without sending it the whole recording. */
export async function waveformPeaks(path: string, channels: 1 | 2, buckets: number): Promise<WaveformPeaks> {
  const peaks = new PeakAccumulator(channels);
  for await (const block of decodePcm(path, { sampleRate: SAMPLE_RATE, channels, frameSamples: WINDOW_SAMPLES })) peaks.add(block);
  return peaks.result(buckets);
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
