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
}
