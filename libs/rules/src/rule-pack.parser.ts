import { parse as parseYaml } from 'yaml';
import type { RulePack } from './rule-pack.schema.js';
import { RulePackValidationError, type RulePackValidationOptions, validateRulePack } from './rule-pack.validator.js';

/** Parses pack text (YAML or JSON) and validates it; errors name the source and the bad field. */
export function parseRulePack(source: string, format: 'yaml' | 'json', name = 'rule pack', options: RulePackValidationOptions = {}): RulePack {
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(source) : parseYaml(source);
  } catch (err) {
    throw new RulePackValidationError([`${name}: not valid ${format} (${(err as Error).message})`]);
  }
  try {
    return validateRulePack(data, options);
  } catch (err) {
    if (err instanceof RulePackValidationError) throw new RulePackValidationError(err.issues.map((i) => `${name}: ${i}`));
    throw err;
  }
}
