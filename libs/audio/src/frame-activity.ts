import type { TimeInterval } from '#libs/conversation-metrics';

/** Frame-level knobs shared by both detectors; defaults measured on the generated accuracy set (see README). */
export interface VadTuning {
  /** speech must exceed the channel's adaptive noise floor by this much (energy detector) */
  thresholdAboveFloorDb: number;
  /** never call anything quieter than this speech, whatever the floor (energy detector) */
  absoluteMinDb: number;
  /** the noise floor is the quietest level within this many seconds either side */
  floorWindowSeconds: number;
  /** Silero: speech starts at this probability and continues while above `sileroNegThreshold` */
  sileroThreshold: number;
  sileroNegThreshold: number;
  /** Silero frames must also be this much above the noise floor: Silero alone holds on through line noise */
  sileroEnergyGateDb: number;
  /** cross-channel echo check: a frame is echo when the other channel was this much louder... */
  echoMarginDb: number;
  /** ...at this frame or within this many seconds before it (the echo's delay) */
  echoLookbackSeconds: number;
  /** pauses shorter than this inside one party's speech are bridged */
  bridgeSeconds: number;
  /** isolated speech shorter than this is dropped (clicks, breaths) */
  minSpeechSeconds: number;
}

export const DEFAULT_VAD_TUNING: VadTuning = {
  thresholdAboveFloorDb: 12,
  absoluteMinDb: -55,
  floorWindowSeconds: 10,
  sileroThreshold: 0.5,
  sileroNegThreshold: 0.35,
  sileroEnergyGateDb: 6,
  echoMarginDb: 10,
  echoLookbackSeconds: 0.08,
  bridgeSeconds: 0.5,
  minSpeechSeconds: 0.12,
};

const SILENT_DB = -100;

/** Mean power of `frame` in dBFS, floored at -100. */
export function frameEnergyDb(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i] * samples[i];
  const mean = sum / Math.max(1, to - from);
  return mean > 1e-10 ? 10 * Math.log10(mean) : SILENT_DB;
}

/** Energy detector: a frame is speech when it is `thresholdAboveFloorDb` above the local noise floor. */
export function energySpeechFrames(energyDb: Float32Array, frameSeconds: number, tuning: VadTuning): Uint8Array {
  const floor = adaptiveFloor(energyDb, frameSeconds, tuning.floorWindowSeconds);
  const speech = new Uint8Array(energyDb.length);
  for (let i = 0; i < energyDb.length; i++) {
    speech[i] = energyDb[i] > Math.max(floor[i] + tuning.thresholdAboveFloorDb, tuning.absoluteMinDb) ? 1 : 0;
  }
  return speech;
}

/**
 * Silero probabilities to speech frames with hysteresis (as Silero's own get_speech_timestamps does), gated by
 * energy above the local noise floor: on line noise Silero's probability stays up for a while after speech ends.
 */
export function probabilitySpeechFrames(prob: Float32Array, energyDb: Float32Array, frameSeconds: number, tuning: VadTuning): Uint8Array {
  const floor = adaptiveFloor(energyDb, frameSeconds, tuning.floorWindowSeconds);
  const speech = new Uint8Array(prob.length);
  let on = false;
  for (let i = 0; i < prob.length; i++) {
    on = on ? prob[i] >= tuning.sileroNegThreshold : prob[i] >= tuning.sileroThreshold;
    speech[i] = on && energyDb[i] > floor[i] + tuning.sileroEnergyGateDb ? 1 : 0;
  }
  return speech;
}

/**
 * The local noise floor per frame: the 10th percentile of each half-second block, then the minimum of those
 * within ±window. Tracks line noise that changes during a call without following speech up.
 */
export function adaptiveFloor(energyDb: Float32Array, frameSeconds: number, windowSeconds: number): Float32Array {
  const blockFrames = Math.max(1, Math.round(0.5 / frameSeconds));
  const blocks = Math.ceil(energyDb.length / blockFrames);
  const low = new Float32Array(blocks);
  for (let b = 0; b < blocks; b++) {
    const slice = Array.from(energyDb.subarray(b * blockFrames, Math.min(energyDb.length, (b + 1) * blockFrames))).sort((x, y) => x - y);
    low[b] = slice[Math.floor(slice.length * 0.1)];
  }
  const reach = Math.max(1, Math.round(windowSeconds / 0.5));
  const floor = new Float32Array(energyDb.length);
  for (let b = 0; b < blocks; b++) {
    let m = Infinity;
    for (let k = Math.max(0, b - reach); k <= Math.min(blocks - 1, b + reach); k++) m = Math.min(m, low[k]);
    floor.fill(m, b * blockFrames, Math.min(energyDb.length, (b + 1) * blockFrames));
  }
  return floor;
}

/**
 * Cross-channel echo check: real lines carry a delayed, attenuated copy of each party on the other channel.
 * A speech frame is dropped when the other channel was `echoMarginDb` louder at that frame or shortly before.
 */
export function suppressEcho(speech: Uint8Array[], energyDb: Float32Array[], frameSeconds: number, tuning: VadTuning): Uint8Array[] {
  if (speech.length !== 2) return speech;
  const lookback = Math.max(0, Math.round(tuning.echoLookbackSeconds / frameSeconds));
  return speech.map((own, c) => {
    const ownDb = energyDb[c];
    const otherDb = energyDb[1 - c];
    const out = new Uint8Array(own.length);
    for (let i = 0; i < own.length; i++) {
      if (!own[i]) continue;
      let louder = -Infinity;
      for (let k = Math.max(0, i - lookback); k <= i; k++) louder = Math.max(louder, otherDb[k]);
      out[i] = louder - ownDb[i] > tuning.echoMarginDb ? 0 : 1;
    }
    return out;
  });
}

/** Speech frames to intervals: short pauses bridged, then speech shorter than the minimum dropped. */
export function framesToIntervals(speech: Uint8Array, frameSeconds: number, durationSeconds: number, tuning: VadTuning): TimeInterval[] {
  const runs: TimeInterval[] = [];
  let start = -1;
  for (let i = 0; i <= speech.length; i++) {
    const on = i < speech.length && speech[i] === 1;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      runs.push({ start: start * frameSeconds, end: Math.min(i * frameSeconds, durationSeconds) });
      start = -1;
    }
  }
  const bridged: TimeInterval[] = [];
  for (const r of runs) {
    const last = bridged[bridged.length - 1];
    if (last && r.start - last.end < tuning.bridgeSeconds) last.end = r.end;
    else bridged.push({ ...r });
  }
  return bridged.filter((r) => r.end - r.start >= tuning.minSpeechSeconds);
}
