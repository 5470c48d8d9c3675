import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Reads and validates one pack file (.yaml, .yml or .json): a deployed file, trusted to use native regexes. */
export function loadRulePack(path: string): RulePack {
  const ext = extname(path).toLowerCase();
  return parseRulePack(readFileSync(path, 'utf8'), ext === '.json' ? 'json' : 'yaml', path, { patterns: 'native' });
}

/** The folder of shipped packs, found from this module whether it runs from source (libs/) or from dist/. */
export function shippedPacksDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../packs'), resolve(here, '../../../../libs/rules/packs')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`shipped rule packs not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Every shipped pack (libs/rules/packs/*.yaml|json), validated, in file-name order. */
export function loadShippedPacks(dir: string = shippedPacksDir()): RulePack[] {
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/i.test(f))
    .sort()
    .map((f) => loadRulePack(join(dir, f)));
}
