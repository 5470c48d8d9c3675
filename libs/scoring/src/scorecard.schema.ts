import { z } from 'zod';
import {
  BOOLEAN_METRICS,
  NUMERIC_METRICS,
  isBooleanMetric,
  type Criterion,
  type CriterionSource,
  type MetricName,
  type Scorecard,
} from './scorecard.js';
import { ScorecardValidationError, type ScorecardIssue } from './scorecard-validation.error.js';

const nonEmptyString = z.string().trim().min(1);
const finite = z.number().finite();

const findingAbsentSchema = z
  .strictObject({
    kind: z.literal('finding_absent'),
    families: z.array(nonEmptyString).optional(),
    ruleIds: z.array(nonEmptyString).optional(),
  })
  .superRefine((s, ctx) => {
    if (!s.families?.length && !s.ruleIds?.length) {
      ctx.addIssue({ code: 'custom', path: ['families'], message: 'families or ruleIds must name at least one' });
    }
  });

const metricSchema = z
  .strictObject({
    kind: z.literal('metric'),
    metric: z.enum([...NUMERIC_METRICS, ...BOOLEAN_METRICS] as [MetricName, ...MetricName[]]),
    op: z.enum(['<=', '>=', '==', 'between']),
    value: z.union([finite, z.boolean()]).optional(),
    min: finite.optional(),
    max: finite.optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (isBooleanMetric(s.metric)) {
      if (s.op !== '==') issue('op', `${s.metric} is yes/no: only '==' applies`);
      if (typeof s.value !== 'boolean') issue('value', `${s.metric} is yes/no: value must be true or false`);
      return;
    }
    if (s.op === 'between') {
      if (s.min === undefined) issue('min', "required when op is 'between'");
      if (s.max === undefined) issue('max', "required when op is 'between'");
      if (s.min !== undefined && s.max !== undefined && s.min > s.max) issue('max', 'must be >= min');
      if (s.value !== undefined) issue('value', "not used when op is 'between' (use min and max)");
      return;
    }
    if (typeof s.value !== 'number') issue('value', `${s.metric} is numeric: value must be a number`);
    if (s.min !== undefined || s.max !== undefined) issue('min', "min and max apply only to op 'between'");
  });

const llmSchema = z.strictObject({
  kind: z.literal('llm'),
  questionId: nonEmptyString,
  passWhen: z.enum(['yes', 'no']).optional(),
});

const criterionSchema = z.strictObject({
  id: nonEmptyString,
  label: nonEmptyString,
  weight: finite.min(0),
  critical: z.boolean(),
  source: z.discriminatedUnion('kind', [findingAbsentSchema, metricSchema, llmSchema]),
});

const scorecardSchema = z
  .strictObject({
    name: nonEmptyString,
    version: z.number().int().positive(),
    criteria: z.array(criterionSchema).min(1),
  })
  .superRefine((card, ctx) => {
    const seen = new Set<string>();
    card.criteria.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'id'], message: `duplicate id "${c.id}"` });
      seen.add(c.id);
    });
    if (!card.criteria.some((c) => c.weight > 0)) {
      ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'at least one criterion needs a weight above 0' });
    }
  });

type ParsedSource = z.infer<typeof criterionSchema>['source'];

// The schema has already enforced the pairing of metric, op and value; this only narrows the type.
function toSource(s: ParsedSource): CriterionSource {
  if (s.kind === 'finding_absent') {
    return { kind: s.kind, ...(s.families ? { families: s.families } : {}), ...(s.ruleIds ? { ruleIds: s.ruleIds } : {}) };
  }
  if (s.kind === 'llm') return { kind: s.kind, questionId: s.questionId, ...(s.passWhen ? { passWhen: s.passWhen } : {}) };
  if (isBooleanMetric(s.metric)) return { kind: 'metric', metric: s.metric, op: '==', value: s.value === true };
  if (s.op === 'between') return { kind: 'metric', metric: s.metric, op: 'between', min: s.min ?? 0, max: s.max ?? 0 };
  return { kind: 'metric', metric: s.metric, op: s.op, value: typeof s.value === 'number' ? s.value : 0 };
}

export type ScorecardValidation = { ok: true; scorecard: Scorecard } | { ok: false; issues: ScorecardIssue[] };

/** Checks untrusted input (API body, stored JSON) against the scorecard shape; each issue names its field. */
export function validateScorecard(input: unknown): ScorecardValidation {
  const parsed = scorecardSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  const criteria: Criterion[] = parsed.data.criteria.map((c) => ({
    id: c.id,
    label: c.label,
    weight: c.weight,
    critical: c.critical,
    source: toSource(c.source),
  }));
  return { ok: true, scorecard: { name: parsed.data.name, version: parsed.data.version, criteria } };
}

/** Like validateScorecard, but throws ScorecardValidationError listing every issue. */
export function parseScorecard(input: unknown): Scorecard {
  const result = validateScorecard(input);
  if (!result.ok) throw new ScorecardValidationError(result.issues);
  return result.scorecard;
}

/** JSON Schema of a scorecard as the API takes it (for the OpenAPI document); cross-field rules stay in validateScorecard. */
export function scorecardJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scorecardSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}
