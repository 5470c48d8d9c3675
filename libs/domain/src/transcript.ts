export type Speaker = 'agent' | 'customer' | 'unknown';

/** How a transcript's speaker roles were obtained; nothing is ever guessed silently. */
export type RolesSource = 'channel' | 'diarization' | 'sidecar' | 'none';

export interface TranscriptWord {
  w: string;
  start: number;
  end: number;
  confidence?: number;
}

export interface TranscriptSegment {
  speaker: Speaker;
  /** seconds from the start of the recording */
  start: number;
  end: number;
  text: string;
  words?: TranscriptWord[];
}

export interface TranscriptUsage {
  audioSeconds?: number;
  inputTokens?: number;
  outputTokens?: number;
  requests?: number;
}

export interface NormalisedTranscript {
  provider: string;
  model?: string;
  language?: string;
  rolesSource: RolesSource;
  /** 0..1, where roles were inferred (diarization); 1 for channel-exact roles */
  rolesConfidence?: number;
  segments: TranscriptSegment[];
  usage?: TranscriptUsage;
}
