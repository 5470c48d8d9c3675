import type { Speaker, TranscriptSegment } from '#libs/domain';
import { normaliseSegments } from './text-normaliser.js';

/**
 * Version of the normaliser a stored searchable form was made with: a form of another version no longer says what
 * the rules see, so a reader ignores it and normalises the segments again. Bump it with any change to the normaliser.
 */
export const SEARCHABLE_VERSION = 1;

/**
 * A transcript as the rule engine reads it: the normalised text of every segment, one line each, with the
 * segments' speakers and times. Stored beside the transcript, it lets a backtest narrow calls in the database by
 * the draft's phrases and run the rules without reading or normalising the segments again.
 */
export interface SearchableTranscript {
  text: string;
  /** one code per segment: a(gent), c(ustomer), u(nknown) */
  speakers: string;
  /** start and end of each segment in turn, seconds from the start of the recording */
  times: Float64Array;
  language?: string;
}

const CODE: Record<Speaker, string> = { agent: 'a', customer: 'c', unknown: 'u' };

export function speakerOfCode(code: number): Speaker {
  return code === 0x61 ? 'agent' : code === 0x63 ? 'customer' : 'unknown';
}

export function searchableTranscript(segments: readonly TranscriptSegment[], language?: string): SearchableTranscript {
  return {
    text: normaliseSegments(segments.map((s) => s.text)).text,
    speakers: segments.map((s) => CODE[s.speaker] ?? 'u').join(''),
    times: Float64Array.from(segments.flatMap((s) => [s.start, s.end])),
    ...(language !== undefined ? { language } : {}),
  };
}

/**
 * The segments' speakers and times as stored: the codes, a space, the times as base64 float64 (exact, and decoded
 * natively; JSON parsing of the same was a fifth of a backtest's time).
 */
export function encodeSearchSegments(searchable: Pick<SearchableTranscript, 'speakers' | 'times'>): string {
  return `${searchable.speakers} ${Buffer.from(searchable.times.buffer, searchable.times.byteOffset, searchable.times.byteLength).toString('base64')}`;
}

export function decodeSearchSegments(stored: string): Pick<SearchableTranscript, 'speakers' | 'times'> {
  const space = stored.indexOf(' ');
  const bytes = Buffer.from(stored.slice(space + 1), 'base64');
  const times = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(times.buffer).set(bytes);
  return { speakers: stored.slice(0, space), times };
}
