import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { computeConversationMetrics, computeUnattributedMetrics } from './conversation-metrics.js';
import type { ConversationMetricsOptions } from './metrics-options.js';

/** Metrics of a mono or sidecar call from its timed transcript; unknown speakers make speaker metrics null, never guessed. */
export function metricsFromTranscript(
  transcript: NormalisedTranscript,
  durationSeconds: number,
  opts: ConversationMetricsOptions = {},
): ConversationMetricsResult {
  const segments = transcript.segments;
  const unknown = segments.filter((s) => s.speaker === 'unknown');
  if (transcript.rolesSource === 'none' || unknown.length > 0) {
    const reason =
      transcript.rolesSource === 'none'
        ? 'speaker roles are unknown (the transcript has no roles)'
        : `speaker roles are unknown for ${unknown.length} of ${segments.length} transcript segments`;
    return computeUnattributedMetrics({ durationSeconds, speech: segments, reason }, opts, 'transcript');
  }
  return computeConversationMetrics(
    {
      durationSeconds,
      agent: segments.filter((s) => s.speaker === 'agent'),
      customer: segments.filter((s) => s.speaker === 'customer'),
      transcript: segments,
    },
    opts,
    'transcript',
  );
}
