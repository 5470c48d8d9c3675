import { diffQuestionContent, LlmQuestionValidationError, shippedContent, toLlmQuestion, validateQuestionContent } from './llm-question-content.js';
import { SHIPPED_LLM_QUESTIONS } from './llm-question.js';

const valid = {
  text: { en: 'Did the agent state their full name?' },
  criteria: { pass: 'the agent gives a first and last name', fail: 'no name, or a first name only' },
  violationWhen: 'no',
  family: 'agent_identification',
  severity: 'minor',
  dimension: 'experience',
  description: 'LLM: the agent did not identify themselves',
  criterionId: 'identification',
  trigger: { kind: 'always' },
};

const issues = (input: unknown): string[] => {
  try {
    validateQuestionContent(input, 'body.question');
  } catch (error) {
    if (error instanceof LlmQuestionValidationError) return error.issues;
    throw error;
  }
  return [];
};

describe('LLM question content', () => {
  it('accepts a question in English or Chinese and fills the cascade lists', () => {
    expect(validateQuestionContent(valid, 'q')).toMatchObject({ text: { en: valid.text.en }, violationWhen: 'no' });
    const zh = validateQuestionContent({ ...valid, text: { zh: '坐席是否报了全名？' }, trigger: { kind: 'on_candidates', families: ['implied_guarantee'] } }, 'q');
    expect(zh.trigger).toEqual({ kind: 'on_candidates', families: ['implied_guarantee'], rules: [] });
  });

  it.each([
    [{ ...valid, text: {} }, 'body.question.text: give the question in English (en) or Chinese (zh), or both'],
    [{ ...valid, text: { en: '  ' } }, 'body.question.text.en: must not be empty'],
    [{ ...valid, criteria: { pass: 'x' } }, 'body.question.criteria.fail:'],
    [{ ...valid, severity: 'huge' }, 'body.question.severity:'],
    [{ ...valid, violationWhen: 'maybe' }, 'body.question.violationWhen:'],
    [{ ...valid, family: 'has spaces' }, 'body.question.family: 1-100 letters, digits, _ . - only'],
    [{ ...valid, trigger: { kind: 'on_candidates', families: [], rules: [] } }, 'body.question.trigger: name at least one rule family or rule id that must fire first'],
    [{ ...valid, trigger: { kind: 'on_candidates', families: ['ok', 'not ok'] } }, 'body.question.trigger.families.1:'],
    [{ ...valid, extra: 1 }, 'body.question:'],
  ])('names the field of each problem (%#)', (input, expected) => {
    expect(issues(input).some((i) => i.startsWith(expected))).toBe(true);
  });

  it('seeds every shipped question as valid content that asks the same question', () => {
    for (const q of SHIPPED_LLM_QUESTIONS) {
      const content = validateQuestionContent(shippedContent(q), 'seed');
      const back = toLlmQuestion(q.id, q.promptVersion, content);
      expect(back.text).toEqual(q.text);
      expect(back.violationWhen).toBe(q.violationWhen);
      expect(back.trigger.kind).toBe(q.trigger.kind);
    }
  });

  it('diffs field by field, nested fields by path', () => {
    const before = validateQuestionContent(valid, 'q');
    const after = validateQuestionContent({ ...valid, severity: 'major', criteria: { ...valid.criteria, pass: 'full name given' } }, 'q');
    expect(diffQuestionContent(before, after)).toEqual([
      { field: 'criteria.pass', before: valid.criteria.pass, after: 'full name given' },
      { field: 'severity', before: 'minor', after: 'major' },
    ]);
    expect(diffQuestionContent(null, before).map((c) => c.field)).toContain('text.en');
  });
});
