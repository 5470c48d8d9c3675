import type { NormalisedTranscript } from '#libs/domain';
import type { RoleHints } from './speaker-role.mapper.js';

export interface TranscriptionInput {
  audioPath: string;
  channelLayout: 'mono' | 'stereo';
  /** which channel carries the agent on stereo recordings (per-campaign config) */
  agentChannel: 'left' | 'right';
  /** ISO-639-1 hint, e.g. 'en', 'zh' */
  language?: string;
  /** helps tell the agent from the customer on diarized mono recordings */
  roleHints?: RoleHints;
}

/** Turns one call recording into a normalised transcript; errors are PermanentTranscriptionError or retryable. */
export interface TranscriptionProvider {
  readonly name: string;
  transcribe(input: TranscriptionInput): Promise<NormalisedTranscript>;
}
