/** JSON Schemas of the question routes' bodies and answers, for the OpenAPI document. */

const name = { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,100}$' };
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ oneOf: [schema, { type: 'null' }] });

export const QUESTION_CONTENT = {
  type: 'object',
  additionalProperties: false,
  required: ['text', 'violationWhen', 'family', 'severity', 'dimension', 'description', 'trigger'],
  properties: {
    text: { type: 'object', additionalProperties: false, minProperties: 1, properties: { en: text(2000), zh: text(2000) }, description: 'the question in English and/or Chinese' },
    criteria: {
      type: 'object',
      additionalProperties: false,
      required: ['pass', 'fail'],
      properties: { pass: text(1000), fail: text(1000), notApplicable: text(1000) },
      description: 'what counts as pass, fail and not applicable; told to the model with the question',
    },
    violationWhen: { type: 'string', enum: ['yes', 'no'], description: 'the answer that is a violation (an llm finding)' },
    family: name,
    severity: { type: 'string', enum: ['critical', 'major', 'minor'] },
    dimension: { type: 'string', enum: ['compliance', 'efficiency', 'conversion', 'experience'] },
    description: text(300),
    criterionId: { ...name, description: 'the scorecard criterion this question feeds' },
    trigger: {
      oneOf: [
        { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'always' } } },
        {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: { const: 'on_candidates' }, families: { type: 'array', items: name }, rules: { type: 'array', items: name } },
          description: 'the cascade: only when one of these rule families or rule ids fired on the call',
        },
      ],
    },
  },
};

const VERSION = {
  type: 'object',
  required: ['number', 'note', 'publishedBy', 'publishedAt'],
  properties: { number: { type: 'integer' }, note: { type: 'string' }, publishedBy: { type: 'string' }, publishedAt: dateTime },
};

const CHANGE = { type: 'object', required: ['field', 'before', 'after'], properties: { field: { type: 'string' }, before: {}, after: {} } };

const DETAIL_PROPERTIES = {
  key: { type: 'string' },
  system: { type: 'boolean' },
  campaignId: nullable({ type: 'string', format: 'uuid' }),
  forkedFrom: nullable({ type: 'string' }),
  liveVersion: nullable({ type: 'integer' }),
  live: nullable(QUESTION_CONTENT),
  draft: nullable(QUESTION_CONTENT),
  draftUpdatedBy: nullable({ type: 'string' }),
  draftUpdatedAt: nullable(dateTime),
  draftTested: { type: 'boolean', description: 'whether the draft as it stands was tried on text (publish requires it)' },
  draftDiff: nullable({ type: 'array', items: CHANGE }),
  versions: { type: 'array', items: VERSION },
  createdBy: { type: 'string' },
  createdAt: dateTime,
};

export const QUESTION_DETAIL = { type: 'object', required: Object.keys(DETAIL_PROPERTIES), properties: DETAIL_PROPERTIES };

const SETTINGS = {
  type: 'object',
  required: ['disabledQuestions', 'dailyCostCeilingUsd'],
  properties: { disabledQuestions: { type: 'array', items: { type: 'string' } }, dailyCostCeilingUsd: nullable({ type: 'number', minimum: 0 }) },
};

export const CAMPAIGN_QUESTIONS = {
  type: 'object',
  required: ['campaign', 'items', 'settings', 'spentTodayUsd'],
  properties: {
    campaign: { type: 'string' },
    settings: SETTINGS,
    spentTodayUsd: { type: 'number', description: "USD the campaign's LLM checks recorded since midnight UTC" },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: [...Object.keys(DETAIL_PROPERTIES), 'enabled', 'answers30d', 'discarded30d', 'criterion'],
        properties: {
          ...DETAIL_PROPERTIES,
          enabled: { type: 'boolean' },
          answers30d: { type: 'integer', description: "answers on this campaign's calls over 30 days" },
          discarded30d: { type: 'integer', description: 'of those, discarded: a quote not in the transcript, or an unusable reply' },
          criterion: nullable({
            type: 'object',
            required: ['id', 'status', 'scorecard'],
            properties: { id: { type: 'string' }, status: { type: 'string', enum: ['linked', 'missing', 'other_source'] }, scorecard: nullable({ type: 'string' }) },
            description: "the scorecard criterion it says it feeds, checked against the campaign's current scorecard",
          }),
        },
      },
    },
  },
};

export const CAMPAIGN_SETTINGS = { type: 'object', required: ['campaign', 'settings'], properties: { campaign: { type: 'string' }, settings: SETTINGS } };

export const QUESTION_VERSION = {
  type: 'object',
  required: [...VERSION.required, 'key', 'content', 'contentHash'],
  properties: { ...VERSION.properties, key: { type: 'string' }, content: QUESTION_CONTENT, contentHash: { type: 'string' } },
};

export const PUBLISHED = { type: 'object', required: ['version', 'changes'], properties: { version: { type: 'integer' }, changes: { type: 'array', items: CHANGE } } };

export const TEST_RESULT = {
  type: 'object',
  required: ['key', 'version', 'answer', 'inputTokens', 'outputTokens', 'costUsd', 'redactions'],
  properties: {
    key: { type: 'string' },
    version: { oneOf: [{ type: 'integer' }, { const: 'draft' }] },
    answer: {
      type: 'object',
      required: ['questionId', 'promptVersion', 'answer', 'verified', 'cached', 'finding'],
      properties: {
        questionId: { type: 'string' },
        promptVersion: { type: 'string' },
        answer: nullable({ type: 'string', enum: ['yes', 'no', 'not_applicable'] }),
        verified: { type: 'boolean', description: 'false: a quote was not in the text (or the reply unusable); the answer is discarded' },
        cached: { type: 'boolean' },
        finding: { type: 'boolean', description: 'whether this answer would raise a finding on a call' },
        reason: { type: 'string' },
        rationale: { type: 'string' },
        quotes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['segmentIndex', 'startSeconds', 'endSeconds', 'text'],
            properties: { segmentIndex: { type: 'integer' }, startSeconds: { type: 'number' }, endSeconds: { type: 'number' }, text: { type: 'string' } },
          },
        },
      },
    },
    inputTokens: { type: 'integer' },
    outputTokens: { type: 'integer' },
    costUsd: nullable({ type: 'number' }),
    redactions: { type: 'integer' },
  },
};

const wrap = (property: string, schema: Record<string, unknown>) => ({ type: 'object', required: [property], additionalProperties: false, properties: { [property]: schema } });

export const CREATE_BODY = {
  type: 'object',
  required: ['key', 'question'],
  additionalProperties: false,
  properties: { key: { ...name, description: "the question's key: an answer's questionId, an llm finding's ruleId" }, question: QUESTION_CONTENT },
};
export const DRAFT_BODY = wrap('question', QUESTION_CONTENT);
