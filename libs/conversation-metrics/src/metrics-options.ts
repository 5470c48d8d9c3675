/** Campaign-level knobs of the conversation metrics; every field has a documented default. */
export interface ConversationMetricsOptions {
  /** Target share of talk time, agent : customer. Default 30 : 70. */
  talkRatioTarget?: { agent: number; customer: number };
  /** Allowed distance of the agent's share of talk time from the target, as a fraction. Default 0.10 (10 points). */
  talkRatioTolerance?: number;
  /** Silence longer than this inside the conversation counts as dead air. Default 5 s. */
  deadAirSeconds?: number;
  /** Both parties must talk at once at least this long for a start to count as an interruption. Default 0.5 s. */
  minInterruptionOverlapSeconds?: number;
  /** A pause of the same speaker shorter than this, with no speech by the other party, does not end a turn. Default 2 s. */
  turnGapSeconds?: number;
  /** Whether the call was answered. Unconnected calls are neither early hang-ups nor effective calls. Default true. */
  connected?: boolean;
  /** A connected call shorter than this is an early hang-up. Default 30 s. */
  earlyHangUpSeconds?: number;
  /** A connected call at least this long is an effective call. Default 120 s. */
  effectiveCallSeconds?: number;
  /**
   * Audio-derived talk time of a speaker and the transcript's timed speech disagree grossly when the smaller is below
   * this fraction of the larger. Default 0.25.
   */
  disagreementRatio?: number;
  /** ...and the larger is at least this many seconds (a few words are too little to judge). Default 5 s. */
  disagreementMinSeconds?: number;
}

export type ResolvedMetricsOptions = Required<ConversationMetricsOptions>;

export const DEFAULT_METRICS_OPTIONS: ResolvedMetricsOptions = {
  talkRatioTarget: { agent: 30, customer: 70 },
  talkRatioTolerance: 0.1,
  deadAirSeconds: 5,
  minInterruptionOverlapSeconds: 0.5,
  turnGapSeconds: 2,
  connected: true,
  earlyHangUpSeconds: 30,
  effectiveCallSeconds: 120,
  disagreementRatio: 0.25,
  disagreementMinSeconds: 5,
};

/** Options with defaults filled in; rejects values that would make a metric meaningless. */
export function resolveMetricsOptions(opts: ConversationMetricsOptions = {}): ResolvedMetricsOptions {
  const resolved: ResolvedMetricsOptions = { ...DEFAULT_METRICS_OPTIONS };
  for (const [key, value] of Object.entries(opts) as [keyof ConversationMetricsOptions, unknown][]) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  const { agent, customer } = resolved.talkRatioTarget;
  if (!(agent >= 0 && customer >= 0 && agent + customer > 0)) {
    throw new RangeError('talkRatioTarget needs non-negative parts with a positive sum');
  }
  for (const key of ['talkRatioTolerance', 'deadAirSeconds', 'minInterruptionOverlapSeconds', 'turnGapSeconds', 'disagreementRatio', 'disagreementMinSeconds'] as const) {
    if (!(resolved[key] >= 0)) throw new RangeError(`${key} must be a non-negative number`);
  }
  return resolved;
}
