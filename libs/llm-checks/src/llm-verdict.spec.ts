import type { TranscriptSegment } from '#libs/domain';
import { buildMessages } from './llm-prompt.js';
import { type LlmQuestion, SHIPPED_LLM_QUESTIONS, questionLanguage, selectQuestions } from './llm-question.js';
import { judgeAnswer, redactSegments } from './llm-verdict.js';

const original: TranscriptSegment[] = [
  { speaker: 'agent', start: 0.5, end: 3.6, text: 'Hi, this is Dana from Northwind Capital.' },
  { speaker: 'customer', start: 4, end: 6, text: 'My card is 4111 1111 1111 1111, charge it.' },
  { speaker: 'agent', start: 7, end: 12, text: 'Our fund has guaranteed returns, you cannot lose money.' },
];
const { segments: sent, redactions } = redactSegments(original);
const promised = SHIPPED_LLM_QUESTIONS.find((q) => q.id === 'llm_returns_promised') as LlmQuestion;
const risks = SHIPPED_LLM_QUESTIONS.find((q) => q.id === 'llm_risk_explained') as LlmQuestion;

describe('LLM questions', () => {
  it('asks always-questions on every call and candidate questions only when their families were raised', () => {
    expect(selectQuestions(SHIPPED_LLM_QUESTIONS, new Set()).map((q) => q.id)).toEqual(['llm_risk_explained']);
    expect(selectQuestions(SHIPPED_LLM_QUESTIONS, new Set(['guaranteed_returns'])).map((q) => q.id)).toEqual(['llm_risk_explained', 'llm_returns_promised']);
    expect(selectQuestions(SHIPPED_LLM_QUESTIONS, new Set(['implied_guarantee'])).map((q) => q.id)).toEqual(['llm_risk_explained', 'llm_returns_promised']);
    expect(selectQuestions(SHIPPED_LLM_QUESTIONS, new Set(['pressure_tactics'])).map((q) => q.id)).toEqual(['llm_risk_explained']);
  });

  it.each([
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['en-US', 'en'],
    [undefined, 'en'],
  ] as const)('language %s asks in %s', (language, expected) => {
    expect(questionLanguage(language)).toBe(expected);
    expect(buildMessages(promised, expected, '[0] agent: hi')[1]?.content).toContain(promised.text[expected]);
  });

  it('ships every question in English and Chinese with a prompt version', () => {
    for (const q of SHIPPED_LLM_QUESTIONS) {
      expect(q.text.en?.length).toBeGreaterThan(10);
      expect(q.text.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(q.promptVersion).not.toBe('');
    }
  });
});

describe('judging an answer', () => {
  it('redacts card numbers before the transcript leaves, and leaves other segments as they were', () => {
    expect(redactions).toBe(1);
    expect(sent[1]?.text).toBe('My card is [CARD], charge it.');
    expect(sent[0]).toBe(original[0]);
  });

  it('turns a verified violation into an llm finding with the question id and prompt version', () => {
    const verdict = judgeAnswer(promised, { answer: 'yes', quotes: [{ segmentId: 2, quote: 'guaranteed returns' }], rationale: 'promised' }, sent, original);
    expect(verdict).toMatchObject({
      kind: 'answered',
      answer: 'yes',
      finding: {
        source: 'llm',
        ruleId: 'llm_returns_promised',
        ruleVersion: promised.promptVersion,
        family: 'guaranteed_returns',
        evidence: { segmentIndex: 2, charStart: 13, charEnd: 31, text: 'guaranteed returns', startSeconds: 7, endSeconds: 12 },
      },
    });
  });

  it('gives no finding for a verified answer that is not a violation', () => {
    expect(judgeAnswer(risks, { answer: 'yes', quotes: [{ segmentId: 0, quote: 'Dana' }] }, sent, original)).toEqual({ kind: 'answered', answer: 'yes', evidence: [expect.objectContaining({ segmentIndex: 0, text: 'Dana' })] });
  });

  it('discards an answer whose quote is not in the transcript', () => {
    const verdict = judgeAnswer(promised, { answer: 'yes', quotes: [{ segmentId: 2, quote: 'double your money in a week' }] }, sent, original);
    expect(verdict).toEqual({ kind: 'discarded', reason: 'quote 0: not found in segment 2' });
  });

  it('verifies quotes against what was sent: a redacted segment keeps no char span and never shows the number', () => {
    const verdict = judgeAnswer(risks, { answer: 'no', quotes: [{ segmentId: 1, quote: 'card is [CARD], charge it' }] }, sent, original);
    expect(verdict.kind).toBe('answered');
    const evidence = verdict.kind === 'answered' ? verdict.finding?.evidence : undefined;
    expect(evidence).toEqual({ segmentIndex: 1, startSeconds: 4, endSeconds: 6, text: 'card is [CARD], charge it' });
  });
});
