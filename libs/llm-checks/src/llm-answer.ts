import type { TranscriptSegment } from '#libs/domain';

export type LlmAnswerValue = 'yes' | 'no' | 'not_applicable';

export interface LlmQuote {
  segmentId: number;
  quote: string;
}

export interface LlmAnswer {
  answer: LlmAnswerValue;
  quotes: LlmQuote[];
  rationale?: string;
}

/** The structured-output schema (OpenAI `response_format: { type: 'json_schema', json_schema: { strict: true } }`). */
export const LLM_ANSWER_SCHEMA = {
  name: 'scorecard_answer',
  strict: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['answer', 'quotes', 'rationale'],
    properties: {
      answer: { type: 'string', enum: ['yes', 'no', 'not_applicable'] },
      quotes: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['segmentId', 'quote'],
          properties: {
            segmentId: { type: 'integer', description: 'the [n] id of the segment quoted' },
            quote: { type: 'string', description: 'words copied exactly from that segment' },
          },
        },
      },
      rationale: { type: 'string' },
    },
  },
} as const;

/** Parses the model's JSON reply; throws naming the bad field. */
export function parseLlmAnswer(raw: string): LlmAnswer {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new Error(`answer: not JSON (${(error as Error).message})`, { cause: error });
  }
  const o = data as Record<string, unknown>;
  if (o['answer'] !== 'yes' && o['answer'] !== 'no' && o['answer'] !== 'not_applicable') {
    throw new Error('answer.answer: must be yes, no or not_applicable');
  }
  const quotes = o['quotes'];
  if (!Array.isArray(quotes)) throw new Error('answer.quotes: must be an array');
  const parsed = quotes.map((q: unknown, i) => {
    const r = q as Record<string, unknown>;
    if (!Number.isInteger(r['segmentId'])) throw new Error(`answer.quotes.${i}.segmentId: must be an integer`);
    if (typeof r['quote'] !== 'string' || r['quote'].trim() === '') throw new Error(`answer.quotes.${i}.quote: must be a non-empty string`);
    return { segmentId: r['segmentId'] as number, quote: r['quote'] };
  });
  return { answer: o['answer'], quotes: parsed, ...(typeof o['rationale'] === 'string' ? { rationale: o['rationale'] } : {}) };
}

export interface VerifiedQuote {
  segmentIndex: number;
  charStart: number;
  charEnd: number;
  startSeconds: number;
  endSeconds: number;
  text: string;
}

export type QuoteVerification = { ok: true; evidence: VerifiedQuote[] } | { ok: false; reason: string };

/** Lowercase, width-folded, punctuation and whitespace dropped; `map[i]` is the original index of character i. */
function fold(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  const source = text.normalize('NFKC');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (/[\p{P}\p{S}\s]/u.test(ch)) continue;
    folded += ch.toLowerCase();
    map.push(i);
  }
  return { folded, map };
}

/**
 * Checks every quote against the segment it names (ignoring case, width, punctuation and spacing). An answer of yes
 * or no must carry at least one quote, and every quote must be found; otherwise the answer is void.
 */
export function verifyQuotes(answer: LlmAnswer, segments: readonly TranscriptSegment[]): QuoteVerification {
  if (answer.answer !== 'not_applicable' && answer.quotes.length === 0) return { ok: false, reason: 'no evidence quoted' };
  const evidence: VerifiedQuote[] = [];
  for (const [i, q] of answer.quotes.entries()) {
    const segment = segments[q.segmentId];
    if (!segment) return { ok: false, reason: `quote ${i}: segment ${q.segmentId} does not exist` };
    const hay = fold(segment.text);
    const needle = fold(q.quote).folded;
    const at = needle.length === 0 ? -1 : hay.folded.indexOf(needle);
    if (at < 0) return { ok: false, reason: `quote ${i}: not found in segment ${q.segmentId}` };
    const normalised = segment.text.normalize('NFKC');
    const charStart = hay.map[at] as number;
    const charEnd = (hay.map[at + needle.length - 1] as number) + 1;
    const sameLength = normalised.length === segment.text.length;
    evidence.push({
      segmentIndex: q.segmentId,
      charStart: sameLength ? charStart : 0,
      charEnd: sameLength ? charEnd : segment.text.length,
      startSeconds: segment.start,
      endSeconds: segment.end,
      text: sameLength ? segment.text.slice(charStart, charEnd) : segment.text,
    });
  }
  return { ok: true, evidence };
}

/** The transcript as the model sees it: one "[id] speaker: text" line per segment. */
export function renderTranscript(segments: readonly TranscriptSegment[]): string {
  return segments.map((s, i) => `[${i}] ${s.speaker}: ${s.text}`).join('\n');
}
