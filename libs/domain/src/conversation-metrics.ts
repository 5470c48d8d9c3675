/** A reason to distrust a call's measured metrics, e.g. the detector heard far less speech than the transcript has. */
export interface MetricsWarning {
  code: 'audio_transcript_disagree';
  speaker: 'agent' | 'customer';
  /** speech the voice-activity detector found on the speaker's channel */
  audioSeconds: number;
  /** the speaker's timed speech in the transcript */
  transcriptSeconds: number;
  message: string;
}

/** Conversation metrics of one call; speaker-dependent values are null with a reason in `unavailable`. */
export interface ConversationMetricsResult {
  source: 'audio' | 'transcript';
  durationSeconds: number;
  agentTalkShare: number | null;
  customerTalkShare: number | null;
  silenceShare: number | null;
  overlapSeconds: number | null;
  agentInterruptions: number | null;
  customerInterruptions: number | null;
  longestAgentMonologue: number | null;
  longestCustomerTurn: number | null;
  deadAirCount: number | null;
  speechRateWpm: number | null;
  talkRatioWithinTarget: boolean | null;
  earlyHangUp: boolean;
  effectiveCall: boolean;
  unavailable: Record<string, string>;
  /** set when the measurement itself looks wrong (talk-ratio metrics are then null, see `unavailable`) */
  metricsWarnings?: MetricsWarning[];
}
