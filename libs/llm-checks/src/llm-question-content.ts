import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, type JsonValue } from '#libs/audit';
import type { LlmQuestion } from './llm-question.js';

/**
 * A question as authored and stored (a draft or a published version's content): wording in English and/or Chinese,
 * what counts as pass, fail and not applicable, which answer is the violation, and when it runs (the cascade).
 */
export interface LlmQuestionContent {
  text: { en?: string; zh?: string };
  criteria?: { pass: string; fail: string; notApplicable?: string };
  /** the answer that is a violation (an llm finding); the other one passes */
  violationWhen: 'yes' | 'no';
  family: string;
  severity: 'critical' | 'major' | 'minor';
  dimension: 'compliance' | 'efficiency' | 'conversion' | 'experience';
  description: string;
  /** the scorecard criterion this question feeds (a criterion of kind llm naming this question) */
  criterionId?: string;
  /** always, or only when one of these rule families or rule ids fired first on the call */
  trigger: { kind: 'always' } | { kind: 'on_candidates'; families: string[]; rules: string[] };
}

export class LlmQuestionValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(issues.join('; '));
    this.name = 'LlmQuestionValidationError';
  }
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const name = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, '1-100 letters, digits, _ . - only');

const CONTENT = z
  .object({
    text: z
      .object({ en: text(2000).optional(), zh: text(2000).optional() })
      .strict()
      .refine((t) => t.en !== undefined || t.zh !== undefined, 'give the question in English (en) or Chinese (zh), or both'),
    criteria: z.object({ pass: text(1000), fail: text(1000), notApplicable: text(1000).optional() }).strict().optional(),
    violationWhen: z.enum(['yes', 'no']),
    family: name,
    severity: z.enum(['critical', 'major', 'minor']),
    dimension: z.enum(['compliance', 'efficiency', 'conversion', 'experience']),
    description: text(300),
    criterionId: name.optional(),
    trigger: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('always') }).strict(),
      z
        .object({ kind: z.literal('on_candidates'), families: z.array(name).max(50).default([]), rules: z.array(name).max(50).default([]) })
        .strict()
        .refine((t) => t.families.length + t.rules.length > 0, 'name at least one rule family or rule id that must fire first'),
    ]),
  })
  .strict();

/** Validates authored question content; every problem names its field under `field` ("body.question.criteria.pass"). */
export function validateQuestionContent(input: unknown, field: string): LlmQuestionContent {
  const parsed = CONTENT.safeParse(input);
  if (!parsed.success) {
    throw new LlmQuestionValidationError(parsed.error.issues.map((i) => `${[field, ...i.path.map(String)].join('.')}: ${i.message}`));
  }
  return parsed.data as LlmQuestionContent;
}

export function questionContentHash(content: LlmQuestionContent): string {
  return createHash('sha256').update(canonicalJson(content as unknown as JsonValue)).digest('hex');
}

/** The runtime question of a published (or draft) content; `version` is the answer's and finding's version. */
export function toLlmQuestion(key: string, version: string, content: LlmQuestionContent): LlmQuestion {
  return {
    id: key,
    promptVersion: version,
    text: content.text,
    ...(content.criteria ? { criteria: content.criteria } : {}),
    trigger: content.trigger.kind === 'always' ? { kind: 'always' } : { kind: 'on_candidates', families: content.trigger.families, rules: content.trigger.rules },
    violationWhen: content.violationWhen,
    family: content.family,
    severity: content.severity,
    dimension: content.dimension,
    description: content.description,
  };
}

/** A shipped question as stored content (its seed). */
export function shippedContent(question: LlmQuestion): LlmQuestionContent {
  return {
    text: { ...question.text },
    ...(question.criteria ? { criteria: question.criteria } : {}),
    violationWhen: question.violationWhen,
    family: question.family,
    severity: question.severity,
    dimension: question.dimension,
    description: question.description,
    trigger: question.trigger.kind === 'always' ? { kind: 'always' } : { kind: 'on_candidates', families: [...question.trigger.families], rules: [...(question.trigger.rules ?? [])] },
  };
}

export interface QuestionFieldChange {
  field: string;
  before: JsonValue;
  after: JsonValue;
}

/** What changed between two contents, field by field (nested fields as "criteria.pass"); before null: all added. Pure. */
export function diffQuestionContent(before: LlmQuestionContent | null, after: LlmQuestionContent): QuestionFieldChange[] {
  const flat = (c: LlmQuestionContent | null): Map<string, JsonValue> => {
    const out = new Map<string, JsonValue>();
    const walk = (value: unknown, path: string) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
      } else if (value !== undefined) out.set(path, value as JsonValue);
    };
    walk(c, '');
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((f) => canonicalJson(a.get(f) ?? null) !== canonicalJson(b.get(f) ?? null))
    .map((f) => ({ field: f, before: a.get(f) ?? null, after: b.get(f) ?? null }));
}
