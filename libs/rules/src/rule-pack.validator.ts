import type { z } from 'zod';
import { compilePattern, type PatternEngine, UnsafePatternError } from './pattern-matcher.js';
import { rulePackSchema, type Condition, type RulePack } from './rule-pack.schema.js';

export interface RulePackValidationOptions {
  /** the engine its regexes will run on; `linear` (the default) refuses what RE2 cannot run in linear time */
  patterns?: PatternEngine;
  /** regex sources that run natively whatever `patterns` says: those of the shipped packs, reviewed like code */
  trustedPatterns?: ReadonlySet<string>;
}

/** The engine one regex of a pack runs on under these options. */
export function engineFor(source: string, options: RulePackValidationOptions): PatternEngine {
  return options.trustedPatterns?.has(source) ? 'native' : (options.patterns ?? 'linear');
}

/** Thrown when a rule pack is malformed; `issues` name each bad field by its path ("rules.3.match.regex: ..."). */
export class RulePackValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid rule pack: ${issues.join('; ')}`);
    this.name = 'RulePackValidationError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(pack)' : path.map(String).join('.');
}

function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Whether a condition can ever match by itself (a bare `not` matches every segment and cannot). */
function canMatchPositively(cond: Condition): boolean {
  if ('phrases' in cond || 'regex' in cond || 'near' in cond) return true;
  if ('all' in cond) return cond.all.some(canMatchPositively);
  if ('any' in cond) return cond.any.every(canMatchPositively);
  return false;
}

function checkCondition(cond: Condition, path: string, issues: string[], engine: RulePackValidationOptions): void {
  if ('regex' in cond) {
    try {
      compilePattern(cond.regex, cond.flags, engineFor(cond.regex, engine));
    } catch (err) {
      const kind = err instanceof UnsafePatternError ? 'regular expression refused' : 'invalid regular expression';
      issues.push(`${path}.regex: ${kind} (${(err as Error).message})`);
    }
  } else if ('near' in cond) {
    cond.near.forEach((c, i) => {
      if (!canMatchPositively(c)) issues.push(`${path}.near.${i}: a proximity operand must match text, not be a negation`);
      checkCondition(c, `${path}.near.${i}`, issues, engine);
    });
  } else if ('all' in cond) {
    cond.all.forEach((c, i) => checkCondition(c, `${path}.all.${i}`, issues, engine));
  } else if ('any' in cond) {
    cond.any.forEach((c, i) => checkCondition(c, `${path}.any.${i}`, issues, engine));
  } else if ('not' in cond) {
    checkCondition(cond.not, `${path}.not`, issues, engine);
  }
}

/** Parses and checks a rule pack from untrusted data (API edit, YAML file); throws RulePackValidationError. */
export function validateRulePack(input: unknown, options: RulePackValidationOptions = {}): RulePack {
  const engine = options;
  const parsed = rulePackSchema.safeParse(input);
  if (!parsed.success) throw new RulePackValidationError(zodIssues(parsed.error));
  const pack = parsed.data;
  const issues: string[] = [];
  const seen = new Set<string>();
  pack.rules.forEach((rule, i) => {
    const base = `rules.${i}`;
    if (seen.has(rule.id)) issues.push(`${base}.id: duplicate rule id "${rule.id}"`);
    seen.add(rule.id);
    checkCondition(rule.match, `${base}.match`, issues, engine);
    if (rule.when) {
      checkCondition(rule.when, `${base}.when`, issues, engine);
      if (!rule.required) issues.push(`${base}.when: only required rules take a "when" trigger`);
      if (!canMatchPositively(rule.when)) issues.push(`${base}.when: the trigger must match text, not be a negation`);
    }
    if (!rule.required && !canMatchPositively(rule.match)) {
      issues.push(`${base}.match: a non-required rule must match text; a bare "not" would flag every segment`);
    }
  });
  if (issues.length > 0) throw new RulePackValidationError(issues);
  return pack;
}
