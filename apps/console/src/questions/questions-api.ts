/** What the LLM-question endpoints answer (the parts the page shows). */
export interface QuestionContent {
  text: { en?: string; zh?: string };
  criteria?: { pass: string; fail: string; notApplicable?: string };
  violationWhen: 'yes' | 'no';
  family: string;
  severity: 'critical' | 'major' | 'minor';
  dimension: 'compliance' | 'efficiency' | 'conversion' | 'experience';
  description: string;
  criterionId?: string;
  trigger: { kind: 'always' } | { kind: 'on_candidates'; families: string[]; rules: string[] };
}

export interface QuestionDetail {
  key: string;
  system: boolean;
  forkedFrom: string | null;
  liveVersion: number | null;
  live: QuestionContent | null;
  draft: QuestionContent | null;
  draftUpdatedAt: string | null;
  draftTested: boolean;
  draftDiff: { field: string; before: unknown; after: unknown }[] | null;
  versions: { number: number; note: string; publishedBy: string; publishedAt: string }[];
}

export interface CampaignQuestionItem extends QuestionDetail {
  enabled: boolean;
  answers30d: number;
  discarded30d: number;
  criterion: { id: string; status: 'linked' | 'missing' | 'other_source'; scorecard: string | null } | null;
}

export interface CampaignQuestionsView {
  campaign: string;
  items: CampaignQuestionItem[];
  settings: { disabledQuestions: string[]; dailyCostCeilingUsd: number | null };
  spentTodayUsd: number;
}

export interface QuestionTestView {
  version: number | 'draft';
  answer: {
    answer: 'yes' | 'no' | 'not_applicable' | null;
    verified: boolean;
    finding: boolean;
    reason?: string;
    rationale?: string;
    quotes?: { segmentIndex: number; text: string }[];
  };
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}
