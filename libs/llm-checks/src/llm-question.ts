import type { Dimension, Severity } from '#libs/domain';

export type LlmQuestionLanguage = 'en' | 'zh';

/**
 * A scorecard question the LLM answers. `always` questions run on every checked call; `on_candidates` ones only when
 * the rules raised a finding of one of `families` (the cascade: cheap rules first, the LLM where rules cannot judge).
 */
export interface LlmQuestion {
  /** stable; a finding's ruleId and a scorecard criterion's `questionId` */
  id: string;
  /** bump whenever the wording changes: part of the cache key and the finding's ruleVersion */
  promptVersion: string;
  /** English and/or Chinese wording; a call in the other language gets the one there is */
  text: Partial<Record<LlmQuestionLanguage, string>>;
  /** what counts as pass, fail and not applicable (authored questions); told to the model with the question */
  criteria?: { pass: string; fail: string; notApplicable?: string };
  /** the cascade: only when the rules raised one of `families` or one of `rules` (rule ids) */
  trigger: { kind: 'always' } | { kind: 'on_candidates'; families: string[]; rules?: string[] };
  /** the answer that is a violation (becomes a finding) */
  violationWhen: 'yes' | 'no';
  family: string;
  severity: Severity;
  dimension: Dimension;
  description: string;
}

/** The shipped questions (English and Chinese wording of each). */
export const SHIPPED_LLM_QUESTIONS: readonly LlmQuestion[] = [
  {
    id: 'llm_risk_explained',
    promptVersion: '1',
    text: {
      en: "Did the agent explain the product's risks to the customer (for example that the value can fall or that money can be lost)?",
      zh: '坐席是否向客户说明了产品的风险（例如价值可能下跌、可能亏损本金）？',
    },
    trigger: { kind: 'always' },
    violationWhen: 'no',
    family: 'missing_risk_disclosure',
    severity: 'major',
    dimension: 'compliance',
    description: "LLM: the agent did not explain the product's risks",
  },
  {
    id: 'llm_returns_promised',
    promptVersion: '1',
    text: {
      en: 'Did the agent promise or guarantee the customer returns, profits or that they cannot lose money?',
      zh: '坐席是否向客户承诺或保证收益、利润，或声称不会亏损？',
    },
    // implied claims (rules can only say "this sounds like an assurance") go to the model, which decides whether a
    // reasonable customer heard a promise; a "yes" becomes a guaranteed_returns finding beside the rule's candidate
    trigger: { kind: 'on_candidates', families: ['guaranteed_returns', 'implied_guarantee'] },
    violationWhen: 'yes',
    family: 'guaranteed_returns',
    severity: 'critical',
    dimension: 'compliance',
    description: 'LLM: the agent promised returns',
  },
];

/** The questions to ask for a call, given the families (and rule ids) its rules raised. */
export function selectQuestions(questions: readonly LlmQuestion[], candidateFamilies: ReadonlySet<string>, firedRules: ReadonlySet<string> = new Set()): LlmQuestion[] {
  return questions.filter(
    (q) => q.trigger.kind === 'always' || q.trigger.families.some((f) => candidateFamilies.has(f)) || (q.trigger.rules ?? []).some((r) => firedRules.has(r)),
  );
}

/** The wording for a language, or the other language's when the question has only that one. */
export function questionText(question: Pick<LlmQuestion, 'text'>, language: LlmQuestionLanguage): string {
  return question.text[language] ?? question.text.en ?? question.text.zh ?? '';
}

/** Chinese wording for transcripts in Chinese (zh, zh-CN, cmn...), English otherwise. */
export function questionLanguage(language: string | undefined): LlmQuestionLanguage {
  return language && /^(zh|cmn|yue)/i.test(language) ? 'zh' : 'en';
}
