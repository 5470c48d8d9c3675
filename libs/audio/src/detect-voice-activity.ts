import type { TimeInterval } from '#libs/conversation-metrics';
import { decodePcm } from './decode-pcm.js';
import type { PeakAccumulator } from './waveform-peaks.js';
import {
  DEFAULT_VAD_TUNING,
  energySpeechFrames,
  frameEnergyDb,
  framesToIntervals,
  probabilitySpeechFrames,
  suppressEcho,
  type VadTuning,
} from './frame-activity.js';
import { FrameSeries } from './frame-series.js';
import { probeAudio } from './probe-audio.js';
import { SileroFrameClassifier } from './silero-frame-classifier.js';

export type VadDetector = 'energy' | 'silero';
/** Which stereo channel carries the agent; the other carries the customer. */
export type ChannelLayout = 'agent-left' | 'agent-right';

export const DEFAULT_VAD_DETECTOR: VadDetector = 'energy';

export interface DetectVoiceActivityOptions {
  detector?: VadDetector;
  channelLayout?: ChannelLayout;
  /** drop speech that is only the other party's echo; on by default, off only to measure what it fixes */
  echoCheck?: boolean;
  tuning?: Partial<VadTuning>;
  /** also collects the recording's waveform from the same decoding pass */
  peaks?: PeakAccumulator;
}

export interface VoiceActivity {
  detector: VadDetector;
  /** decoded length, exact to the sample */
  durationSeconds: number;
  channels: number;
  /** speech intervals per decoded channel (at most two) */
  perChannel: TimeInterval[][];
  /** null for a mono recording: its roles come from the transcript */
  agent: TimeInterval[] | null;
  customer: TimeInterval[] | null;
}

const SAMPLE_RATE = 8000;
const ENERGY_FRAME = 160; // 20 ms

/** Per-channel speech intervals of a recording, streamed through ffmpeg; stereo results are mapped to agent/customer. */
export async function detectVoiceActivity(path: string, opts: DetectVoiceActivityOptions = {}): Promise<VoiceActivity> {
  const detector = opts.detector ?? DEFAULT_VAD_DETECTOR;
  const tuning: VadTuning = { ...DEFAULT_VAD_TUNING, ...opts.tuning };
  const probe = await probeAudio(path);
  const channels = Math.min(2, probe.channels);

  const silero = detector === 'silero' ? new SileroFrameClassifier(channels, SAMPLE_RATE) : undefined;
  const frame = silero ? silero.windowSamples : ENERGY_FRAME;
  const frameSeconds = frame / SAMPLE_RATE;
  const energy = Array.from({ length: channels }, () => new FrameSeries());
  let samples = 0;

  try {
    for await (const block of decodePcm(path, { sampleRate: SAMPLE_RATE, channels, frameSamples: frame })) {
      const n = block[0].length;
      samples += n;
      opts.peaks?.add(block);
      const whole = n - (n % frame);
      for (let off = 0; off < whole; off += frame) {
        for (let c = 0; c < channels; c++) energy[c].push(frameEnergyDb(block[c], off, off + frame));
      }
      if (silero && whole > 0) await silero.push(whole === n ? block : block.map((b) => b.subarray(0, whole)));
    }
  } catch (error) {
    silero?.close();
    throw error;
  }
  const prob = silero ? await silero.drain() : [];

  const durationSeconds = samples / SAMPLE_RATE;
  const energyDb = energy.map((e) => e.toArray());
  let speech = silero
    ? prob.map((p, c) => probabilitySpeechFrames(p, energyDb[c], frameSeconds, tuning))
    : energyDb.map((e) => energySpeechFrames(e, frameSeconds, tuning));
  if (opts.echoCheck !== false) speech = suppressEcho(speech, energyDb, frameSeconds, tuning);
  const perChannel = speech.map((s) => framesToIntervals(s, frameSeconds, durationSeconds, tuning));

  const stereo = channels === 2;
  const agentIndex = opts.channelLayout === 'agent-right' ? 1 : 0;
  return {
    detector,
    durationSeconds,
    channels,
    perChannel,
    agent: stereo ? perChannel[agentIndex] : null,
    customer: stereo ? perChannel[1 - agentIndex] : null,
  };
}
