import type { TranscriptSegment } from '#libs/domain';
import { parseLlmAnswer, renderTranscript, verifyQuotes } from './llm-answer.js';

const segments: TranscriptSegment[] = [
  { speaker: 'agent', start: 0.5, end: 3.6, text: 'Hi, this is Dana from Northwind Capital.' },
  { speaker: 'agent', start: 7, end: 12.2, text: 'Our new fund has guaranteed returns of twelve percent!' },
  { speaker: 'agent', start: 13, end: 15, text: '这款产品保本保收益。' },
];

describe('LLM answers', () => {
  it('renders segments with ids', () => {
    expect(renderTranscript(segments).split('\n')[1]).toBe('[1] agent: Our new fund has guaranteed returns of twelve percent!');
  });

  it('parses a structured answer and names a bad field', () => {
    expect(parseLlmAnswer('{"answer":"yes","quotes":[{"segmentId":1,"quote":"guaranteed returns"}],"rationale":"r"}')).toMatchObject({ answer: 'yes' });
    expect(() => parseLlmAnswer('{"answer":"maybe","quotes":[]}')).toThrow(/^answer\.answer/);
    expect(() => parseLlmAnswer('{"answer":"yes","quotes":[{"segmentId":"1","quote":"x"}]}')).toThrow(/^answer\.quotes\.0\.segmentId/);
  });

  it.each([
    ['an exact quote', { segmentId: 1, quote: 'guaranteed returns' }, true, 'guaranteed returns'],
    ['case, punctuation and spacing differ', { segmentId: 1, quote: 'GUARANTEED  returns of twelve percent' }, true, 'guaranteed returns of twelve percent'],
    ['Chinese with punctuation dropped', { segmentId: 2, quote: '保本，保收益' }, true, '保本保收益'],
    ['words not in the segment (hallucinated)', { segmentId: 1, quote: 'you cannot lose money' }, false, undefined],
    ['the right words in the wrong segment', { segmentId: 0, quote: 'guaranteed returns' }, false, undefined],
    ['a segment that does not exist', { segmentId: 9, quote: 'guaranteed returns' }, false, undefined],
  ])('%s', (_name, quote, ok, text) => {
    const result = verifyQuotes({ answer: 'yes', quotes: [quote] }, segments);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.evidence[0]?.text).toBe(text);
  });

  it('voids a yes or no without evidence, accepts not applicable without', () => {
    expect(verifyQuotes({ answer: 'no', quotes: [] }, segments)).toEqual({ ok: false, reason: 'no evidence quoted' });
    expect(verifyQuotes({ answer: 'not_applicable', quotes: [] }, segments)).toEqual({ ok: true, evidence: [] });
  });
});
