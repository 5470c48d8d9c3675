import { availableParallelism } from 'node:os';

/**
 * ffmpeg and ffprobe processes one Node process runs at once. Each is CPU-bound, so more than the cores only makes
 * them all slower, and a lane of 64 jobs must not fork 64 decoders at once; the rest wait their turn, in order.
 */
const MAX_PROCESSES = Math.max(2, availableParallelism());

let running = 0;
const waiting: (() => void)[] = [];

/** Waits for a slot to run one audio process; call the answer (once is enough) when the process has exited. */
export async function acquireProcessSlot(): Promise<() => void> {
  if (running < MAX_PROCESSES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // the slot passes straight to the next in line, or frees up
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/** Processes running and waiting, for tests. */
export function processSlotUse(): { running: number; waiting: number; max: number } {
  return { running, waiting: waiting.length, max: MAX_PROCESSES };
}
