import type { TimeRange } from './ffmpeg-audio.js';

export interface ChunkPlanInput {
  durationSeconds: number;
  /** encoded size / duration of the audio as it will be uploaded */
  bytesPerSecond: number;
  limitBytes: number;
  maxChunkSeconds?: number;
  silences: TimeRange[];
  /** fraction of the limit a chunk aims for, leaving room for VBR and multipart overhead */
  fill?: number;
}

export interface PlannedChunk extends TimeRange {
  /** true when no silence was found near the limit and the cut falls mid-sound */
  hardCut: boolean;
}

/** Cuts [0, duration] into chunks that fit the upload limit, cutting in the middle of silences where one is near. */
export function planChunks(input: ChunkPlanInput): PlannedChunk[] {
  const { durationSeconds: duration } = input;
  const bySize = (input.limitBytes * (input.fill ?? 0.9)) / Math.max(input.bytesPerSecond, 1e-9);
  const target = Math.min(input.maxChunkSeconds ?? Infinity, bySize);
  if (!(target > 1)) throw new Error(`upload limit ${input.limitBytes} bytes is too small for ${input.bytesPerSecond.toFixed(0)} bytes/s audio`);
  const mids = input.silences
    .map((s) => ({ mid: (s.start + s.end) / 2, len: s.end - s.start }))
    .sort((a, b) => a.mid - b.mid);
  const chunks: PlannedChunk[] = [];
  let start = 0;
  while (duration - start > target) {
    const windowEnd = start + target;
    const windowStart = start + target * 0.5;
    let best: { mid: number; len: number } | undefined;
    for (const m of mids) {
      if (m.mid > windowEnd) break;
      // Latest silence in the second half of the window; ties broken towards longer silences.
      if (m.mid >= windowStart && (!best || m.mid > best.mid || (m.mid === best.mid && m.len > best.len))) best = m;
    }
    const cut = best ? best.mid : windowEnd;
    chunks.push({ start, end: cut, hardCut: !best });
    start = cut;
  }
  chunks.push({ start, end: duration, hardCut: false });
  return chunks;
}
