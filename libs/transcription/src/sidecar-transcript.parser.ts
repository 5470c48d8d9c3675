import type { NormalisedTranscript } from '#libs/domain';
import { InvalidTranscriptError } from './invalid-transcript.error.js';
import type { SidecarHint } from './sidecar-common.js';
import { parseAwsCallAnalytics, parseAwsTranscribe, parseEarshotJson } from './sidecar-json.parser.js';
import { parseSubtitles } from './sidecar-subtitle.parser.js';

export type SidecarFormat = 'earshot-json' | 'aws-transcribe' | 'aws-call-analytics' | 'vtt' | 'srt';

const MAX_BYTES = 20 * 1024 * 1024;

function decode(content: Buffer | string): string {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  if (content.length > MAX_BYTES) throw new InvalidTranscriptError(`transcript is ${content.length} bytes; the limit is ${MAX_BYTES}`);
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content.subarray(2));
  if (content[0] === 0xfe && content[1] === 0xff) return new TextDecoder('utf-16be').decode(content.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new InvalidTranscriptError('transcript is not UTF-8 (or UTF-16 with a BOM) text');
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which sidecar format this is: JSON by shape, subtitles by header/timing; the filename/content type only break ties. */
export function detectSidecarFormat(text: string, hint: SidecarHint = {}): { format: SidecarFormat; json?: unknown } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidTranscriptError(`transcript is not valid JSON: ${(err as Error).message}`);
    }
    if (!isObj(json)) throw new InvalidTranscriptError('transcript JSON must be an object');
    if (Array.isArray(json['Transcript']) && ('Participants' in json || 'JobStatus' in json || 'LanguageCode' in json || 'ConversationCharacteristics' in json || 'AccountId' in json || isAnalyticsTurn(json['Transcript'][0]))) {
      return { format: 'aws-call-analytics', json };
    }
    if (isObj(json['results']) && ('transcripts' in json['results'] || 'items' in json['results'])) return { format: 'aws-transcribe', json };
    if ('segments' in json) return { format: 'earshot-json', json };
    throw new InvalidTranscriptError('unrecognised transcript JSON: expected Earshot JSON (segments), AWS Transcribe (results.items) or AWS Call Analytics (Transcript)');
  }
  if (/^WEBVTT/.test(trimmed)) return { format: 'vtt' };
  const name = hint.filename?.toLowerCase() ?? '';
  const type = hint.contentType?.toLowerCase() ?? '';
  if (name.endsWith('.vtt') || type.includes('text/vtt')) return { format: 'vtt' };
  if (/^\d+\s*\n\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->/.test(trimmed.replace(/\r\n?/g, '\n'))) return { format: 'srt' };
  if (name.endsWith('.srt') || type.includes('subrip')) return { format: 'srt' };
  throw new InvalidTranscriptError('unrecognised transcript format: expected Earshot JSON, AWS Transcribe JSON, WebVTT or SRT');
}

function isAnalyticsTurn(v: unknown): boolean {
  return isObj(v) && 'ParticipantRole' in v && 'BeginOffsetMillis' in v;
}

/** Parses and strictly validates a supplied transcript; throws InvalidTranscriptError naming the problem (API: 422). */
export function parseSidecarTranscript(content: Buffer | string, hint: SidecarHint = {}): NormalisedTranscript {
  const text = decode(content);
  if (!text.trim()) throw new InvalidTranscriptError('transcript is empty');
  const { format, json } = detectSidecarFormat(text, hint);
  switch (format) {
    case 'earshot-json':
      return parseEarshotJson(json);
    case 'aws-transcribe':
      return parseAwsTranscribe(json, hint);
    case 'aws-call-analytics':
      return parseAwsCallAnalytics(json);
    case 'vtt':
    case 'srt':
      return parseSubtitles(text, format, hint);
  }
}
