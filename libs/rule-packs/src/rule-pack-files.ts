import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRulePack, type RulePack } from '#libs/rules';

/** Reads and validates one pack file (.yaml, .yml or .json): a deployed file, trusted to use native regexes. */
export function loadRulePack(path: string): RulePack {
  const ext = extname(path).toLowerCase();
  return parseRulePack(readFileSync(path, 'utf8'), ext === '.json' ? 'json' : 'yaml', path, { patterns: 'native' });
}

/** The folder of shipped packs (libs/rules/packs), found from this module whether it runs from source or from dist/. */
export function shippedPacksDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../rules/packs'), resolve(here, '../../../../libs/rules/packs')];
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
