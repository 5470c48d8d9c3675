import { z } from 'zod';
import { RULE_FAMILIES } from './rule-families.js';
import { RULE_POLICIES } from './rule-policies.js';

/** A match condition, evaluated against normalised text (see normaliseText). */
export type Condition =
  | { phrases: string[] }
  | { regex: string; flags?: string; anchors?: string[] }
  | { near: [Condition, Condition]; within: number; unit?: 'words' | 'chars'; ordered?: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ phrases: z.array(z.string().min(1)).min(1) }),
    z.strictObject({
      regex: z.string().min(1),
      flags: z.string().regex(/^[imsu]*$/, 'only the flags i, m, s, u are allowed').optional(),
      anchors: z.array(z.string().min(1)).min(1).optional(),
    }),
    z.strictObject({
      near: z.tuple([conditionSchema, conditionSchema]),
      within: z.number().int().min(0).max(200),
      unit: z.enum(['words', 'chars']).optional(),
      ordered: z.boolean().optional(),
    }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

const cueListSchema = z.array(z.string().min(1));

/** Words that, found near a hit in the same clause, mean the hit is not an assertion ("I can't guarantee returns"). */
export const negationSchema = z.strictObject({
  before: cueListSchema.default([]),
  /** cues that only count directly before the hit ("不保本") */
  adjacentBefore: cueListSchema.default([]),
  after: cueListSchema.default([]),
  /** expressions containing a negator that do not negate ("don't worry", "不用担心") */
  breakers: cueListSchema.default([]),
  windowWords: z.number().int().min(0).max(30).default(5),
  windowChars: z.number().int().min(0).max(60).default(8),
  afterWindowWords: z.number().int().min(0).max(30).default(4),
  afterWindowChars: z.number().int().min(0).max(60).default(10),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'rule id may hold letters, digits, _ . - only'),
  version: z.number().int().min(1),
  family: z.enum(RULE_FAMILIES),
  severity: z.enum(['critical', 'major', 'minor']),
  dimension: z.enum(['compliance', 'efficiency', 'conversion', 'experience']),
  description: z.string().min(1),
  regulation: z.string().min(1),
  speaker: z.enum(['agent', 'customer', 'any']).default('any'),
  time: z
    .union([
      z.strictObject({ first: z.number().positive() }),
      z.strictObject({ last: z.number().positive() }),
    ])
    .optional(),
  /** required rules produce a finding when the condition is absent from the scoped part of the call */
  required: z.boolean().default(false),
  /** for required rules: the requirement applies only once this occurs (in the rule's speaker scope) */
  when: conditionSchema.optional(),
  negationAware: z.boolean().default(false),
  /** rule-specific suppressors: a cue in the same clause within the window suppresses the hit */
  unless: z
    .strictObject({
      before: cueListSchema.default([]),
      after: cueListSchema.default([]),
    })
    .optional(),
  match: conditionSchema,
  enabled: z.boolean().default(true),
  /** an opt-in policy: the rule runs only when the caller enables this policy (e.g. per campaign); absent = always */
  policy: z.enum(RULE_POLICIES).optional(),
  /** families that supersede this rule: a hit is dropped when one of them was found in the same segment */
  yieldsTo: z.array(z.enum(RULE_FAMILIES)).optional(),
});

export const rulePackSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'pack id may hold letters, digits, _ . - only'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'pack version must be semver, e.g. 1.0.0'),
  language: z.enum(['en', 'zh', 'any']),
  description: z.string().optional(),
  negation: negationSchema.optional(),
  rules: z.array(ruleSchema).min(1),
});

export type RulePack = z.output<typeof rulePackSchema>;
export type RulePackInput = z.input<typeof rulePackSchema>;
export type Rule = z.output<typeof ruleSchema>;
export type NegationConfig = z.output<typeof negationSchema>;
