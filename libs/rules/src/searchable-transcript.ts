import type { Speaker, TranscriptSegment } from '#libs/domain';
import { normaliseSegments } from './text-normaliser.js';

/**
 * Version of the normaliser a stored searchable form was made with: a form of another version no longer says what
 * the rules see, so a reader ignores it and normalises the segments again. Bump it with any change to the normaliser.
 */
export const SEARCHABLE_VERSION = 1;

/** A segment's speaker and times, seconds from the start of the recording. */
export type SearchSegment = [speaker: Speaker, start: number, end: number];

/**
 * A transcript as the rule engine reads it: the normalised text of every segment, one line each, with the
 * segments' speakers and times. Stored beside the transcript, it lets a backtest narrow calls in the database by
 * the draft's phrases and run the rules without reading or normalising the segments again.
 */
export interface SearchableTranscript {
  text: string;
  segments: SearchSegment[];
  language?: string;
}

export function searchableTranscript(segments: readonly TranscriptSegment[], language?: string): SearchableTranscript {
  return {
    text: normaliseSegments(segments.map((s) => s.text)).text,
    segments: segments.map((s) => [s.speaker, s.start, s.end]),
    ...(language !== undefined ? { language } : {}),
  };
}
