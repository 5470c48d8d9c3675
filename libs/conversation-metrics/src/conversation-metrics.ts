import type { ConversationMetricsResult, MetricsWarning, TranscriptSegment } from '#libs/domain';
import {
  complementIntervals,
  intersectIntervals,
  normaliseIntervals,
  totalLength,
  unionIntervals,
  type TimeInterval,
} from './interval.js';
import { resolveMetricsOptions, type ConversationMetricsOptions, type ResolvedMetricsOptions } from './metrics-options.js';
import { countWords } from './speech-rate.js';

/** Per-speaker voice activity of one call, as produced by a stereo VAD or a role-labelled transcript. */
export interface ActivityMetricsInput {
  durationSeconds: number;
  agent: readonly TimeInterval[];
  customer: readonly TimeInterval[];
  /** Role-labelled transcript segments; only the speech rate uses them. */
  transcript?: readonly TranscriptSegment[];
}

/** Speech whose speaker is not known: only speaker-independent metrics can be computed from it. */
export interface UnattributedActivityInput {
  durationSeconds: number;
  speech: readonly TimeInterval[];
  reason: string;
}

const SPEAKER_METRICS = [
  'agentTalkShare',
  'customerTalkShare',
  'overlapSeconds',
  'agentInterruptions',
  'customerInterruptions',
  'longestAgentMonologue',
  'longestCustomerTurn',
  'speechRateWpm',
  'talkRatioWithinTarget',
] as const;

/** Conversation metrics from per-speaker activity intervals (definitions: libs/conversation-metrics/README.md). */
export function computeConversationMetrics(
  input: ActivityMetricsInput,
  opts: ConversationMetricsOptions = {},
  source: ConversationMetricsResult['source'] = 'audio',
): ConversationMetricsResult {
  const o = resolveMetricsOptions(opts);
  const duration = Math.max(0, input.durationSeconds);
  const agent = normaliseIntervals(input.agent, duration);
  const customer = normaliseIntervals(input.customer, duration);
  const base = speakerIndependent(source, duration, unionIntervals(agent, customer), o);
  if (duration === 0) return base;

  const agentTalk = totalLength(agent);
  const customerTalk = totalLength(customer);
  const talk = agentTalk + customerTalk;
  const result: ConversationMetricsResult = {
    ...base,
    agentTalkShare: agentTalk / duration,
    customerTalkShare: customerTalk / duration,
    overlapSeconds: totalLength(intersectIntervals(agent, customer)),
    agentInterruptions: countInterruptions(agent, customer, o.minInterruptionOverlapSeconds),
    customerInterruptions: countInterruptions(customer, agent, o.minInterruptionOverlapSeconds),
    longestAgentMonologue: longestTurn(agent, customer, o.turnGapSeconds),
    longestCustomerTurn: longestTurn(customer, agent, o.turnGapSeconds),
  };

  if (talk > 0) {
    const target = o.talkRatioTarget.agent / (o.talkRatioTarget.agent + o.talkRatioTarget.customer);
    // a tiny epsilon keeps a share exactly on the band's edge inside it despite float rounding
    result.talkRatioWithinTarget = Math.abs(agentTalk / talk - target) <= o.talkRatioTolerance + 1e-9;
  } else {
    result.unavailable.talkRatioWithinTarget = 'no speech detected';
  }

  const rate = agentSpeechRate(input.transcript);
  if (typeof rate === 'number') result.speechRateWpm = rate;
  else result.unavailable.speechRateWpm = rate.reason;
  if (source === 'audio' && input.transcript) flagDisagreement(result, { agent: agentTalk, customer: customerTalk }, input.transcript, duration, o);
  return result;
}

/** Metrics whose value depends on how much each party talked: not available when audio and transcript disagree. */
const TALK_METRICS = ['agentTalkShare', 'customerTalkShare', 'talkRatioWithinTarget'] as const;

/**
 * Compares each speaker's audio talk time with their timed speech in a role-labelled transcript. A gross
 * disagreement (one side below `disagreementRatio` of the other, the other at least `disagreementMinSeconds`) usually
 * means the detector missed speech (a quiet or band-limited channel) or the channels are swapped: the talk-ratio
 * metrics are then withdrawn (null, with the reason) rather than scored, and the result carries a warning.
 */
function flagDisagreement(
  result: ConversationMetricsResult,
  audio: { agent: number; customer: number },
  transcript: readonly TranscriptSegment[],
  duration: number,
  o: ResolvedMetricsOptions,
): void {
  if (transcript.some((s) => s.speaker === 'unknown')) return;
  const warnings: MetricsWarning[] = [];
  for (const speaker of ['agent', 'customer'] as const) {
    const timed = totalLength(normaliseIntervals(transcript.filter((s) => s.speaker === speaker), duration));
    const heard = audio[speaker];
    const larger = Math.max(timed, heard);
    if (larger < o.disagreementMinSeconds || Math.min(timed, heard) >= o.disagreementRatio * larger) continue;
    warnings.push({
      code: 'audio_transcript_disagree',
      speaker,
      audioSeconds: Math.round(heard * 10) / 10,
      transcriptSeconds: Math.round(timed * 10) / 10,
      message: `the ${speaker} channel has ${heard.toFixed(1)} s of detected speech but the transcript has ${timed.toFixed(1)} s of ${speaker} speech`,
    });
  }
  if (warnings.length === 0) return;
  result.metricsWarnings = warnings;
  const reason = `audio and transcript disagree on talk time (${warnings.map((w) => w.speaker).join(', ')})`;
  for (const key of TALK_METRICS) {
    result[key] = null;
    result.unavailable[key] = reason;
  }
}

/** Speaker-independent metrics only; every speaker-dependent one is null with `reason`. */
export function computeUnattributedMetrics(
  input: UnattributedActivityInput,
  opts: ConversationMetricsOptions = {},
  source: ConversationMetricsResult['source'] = 'transcript',
): ConversationMetricsResult {
  const o = resolveMetricsOptions(opts);
  const duration = Math.max(0, input.durationSeconds);
  const result = speakerIndependent(source, duration, normaliseIntervals(input.speech, duration), o);
  for (const key of SPEAKER_METRICS) result.unavailable[key] = input.reason;
  return result;
}

function speakerIndependent(
  source: ConversationMetricsResult['source'],
  duration: number,
  speech: TimeInterval[],
  o: ResolvedMetricsOptions,
): ConversationMetricsResult {
  const result: ConversationMetricsResult = {
    source,
    durationSeconds: duration,
    agentTalkShare: null,
    customerTalkShare: null,
    silenceShare: null,
    overlapSeconds: null,
    agentInterruptions: null,
    customerInterruptions: null,
    longestAgentMonologue: null,
    longestCustomerTurn: null,
    deadAirCount: null,
    speechRateWpm: null,
    talkRatioWithinTarget: null,
    earlyHangUp: o.connected && duration < o.earlyHangUpSeconds,
    effectiveCall: o.connected && duration >= o.effectiveCallSeconds,
    unavailable: {},
  };
  if (duration === 0) {
    for (const key of [...SPEAKER_METRICS, 'silenceShare', 'deadAirCount'] as const) {
      result.unavailable[key] = 'the recording has no duration';
    }
    return result;
  }
  result.silenceShare = Math.max(0, duration - totalLength(speech)) / duration;
  result.deadAirCount = countDeadAir(speech, duration, o.deadAirSeconds);
  return result;
}

function countDeadAir(speech: readonly TimeInterval[], duration: number, threshold: number): number {
  if (speech.length === 0) return duration > threshold ? 1 : 0;
  // silence before the first word (ringing, hold) and after the last (hang-up) is not dead air
  const from = speech[0].start;
  const to = speech[speech.length - 1].end;
  return complementIntervals(speech, from, to).filter((g) => g.end - g.start > threshold).length;
}

/** Starts of `by` while `other` was already talking, with at least `minOverlap` seconds of both talking. */
function countInterruptions(by: readonly TimeInterval[], other: readonly TimeInterval[], minOverlap: number): number {
  let count = 0;
  let j = 0;
  for (const b of by) {
    while (j < other.length && other[j].end <= b.start) j++;
    const o = other[j];
    if (o && o.start < b.start && Math.min(o.end, b.end) - b.start >= minOverlap) count++;
  }
  return count;
}

/** Longest run of `own` speech whose inner pauses are shorter than `gap` and hold no speech of `other`. */
function longestTurn(own: readonly TimeInterval[], other: readonly TimeInterval[], gap: number): number {
  let longest = 0;
  let runStart = 0;
  let runEnd = -Infinity;
  let j = 0;
  for (const i of own) {
    while (j < other.length && other[j].end <= runEnd) j++;
    const otherSpokeInPause = j < other.length && other[j].start < i.start;
    if (i.start - runEnd >= gap || otherSpokeInPause || runEnd === -Infinity) runStart = i.start;
    runEnd = i.end;
    longest = Math.max(longest, runEnd - runStart);
  }
  return longest;
}

function agentSpeechRate(transcript: readonly TranscriptSegment[] | undefined): number | { reason: string } {
  if (!transcript || transcript.length === 0) return { reason: 'no transcript' };
  const agentSegments = transcript.filter((s) => s.speaker === 'agent');
  if (transcript.some((s) => s.speaker === 'unknown') && agentSegments.length === 0) {
    return { reason: 'transcript speakers are unknown' };
  }
  const minutes = totalLength(normaliseIntervals(agentSegments)) / 60;
  const words = agentSegments.reduce((sum, s) => sum + countWords(s), 0);
  if (minutes === 0 || words === 0) return { reason: 'the agent has no transcribed words' };
  return words / minutes;
}
