import { canonicalJson, type JsonValue } from '#libs/audit';
import type { RulePack } from '#libs/rules';

export interface RuleChange {
  ruleId: string;
  /** the rule's top-level fields that differ ("match", "severity", ...) */
  fields: string[];
}

export interface RulePackDiff {
  added: string[];
  removed: string[];
  changed: RuleChange[];
  /** pack-level fields that differ (negation, language, description); version is left out */
  packFields: string[];
}

const same = (a: unknown, b: unknown) => canonicalJson((a ?? null) as JsonValue) === canonicalJson((b ?? null) as JsonValue);

/** What changed between two versions of a pack, rule by rule (before null: everything is added). Pure. */
export function diffRulePacks(before: RulePack | null, after: RulePack): RulePackDiff {
  const old = new Map((before?.rules ?? []).map((r) => [r.id, r]));
  const now = new Map(after.rules.map((r) => [r.id, r]));
  const changed: RuleChange[] = [];
  for (const [id, rule] of now) {
    const prior = old.get(id);
    if (!prior) continue;
    const keys = new Set([...Object.keys(prior), ...Object.keys(rule)]);
    const fields = [...keys].filter((k) => !same(prior[k as keyof typeof prior], rule[k as keyof typeof rule])).sort();
    if (fields.length > 0) changed.push({ ruleId: id, fields });
  }
  const packFields = before ? (['language', 'description', 'negation'] as const).filter((k) => !same(before[k], after[k])) : [];
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed,
    packFields: [...packFields],
  };
}

/** The diff as audit details (plain JSON). */
export function diffDetails(diff: RulePackDiff): Record<string, JsonValue> {
  return { added: diff.added, removed: diff.removed, changed: diff.changed.map((c) => ({ ruleId: c.ruleId, fields: c.fields })), packFields: diff.packFields };
}
