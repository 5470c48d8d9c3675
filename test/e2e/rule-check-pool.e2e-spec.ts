import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalisedTranscript } from '#libs/domain';
import { regexSources, runCallRules } from '#libs/rule-catalog';
import { loadShippedPacks } from '#libs/rule-packs';
import { compileRulePack, validateRulePack } from '#libs/rules';
import type { RuleCheckCall, RuleCheckPool as Pool } from '#libs/rule-catalog';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// the built pool (npm test builds first): its threads run the built thread script, which the sources cannot
const { RuleCheckPool } = (await import(join(root, 'dist/libs/rule-catalog/src/rule-check-pool.js'))) as { RuleCheckPool: typeof Pool };

/** Calls made of the fixture dialogues and lines, 20 segments each, in both languages. */
function fixtureCalls(): RuleCheckCall[] {
  const calls: RuleCheckCall[] = [];
  for (const file of ['en-calls.jsonl', 'labelled.jsonl', 'zh-guarantee.hard.jsonl', 'opt-out.jsonl']) {
    const segments: NormalisedTranscript['segments'] = [];
    for (const line of readFileSync(join(root, 'libs/rules/fixtures', file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { text?: string; speaker?: 'agent' | 'customer'; turns?: { speaker: 'agent' | 'customer'; text: string }[] };
      for (const t of row.turns ?? [{ speaker: row.speaker ?? 'agent', text: row.text ?? '' }]) segments.push({ speaker: t.speaker, start: 0, end: 0, text: t.text });
    }
    for (let i = 0; i < segments.length; i += 20) {
      const part = segments.slice(i, i + 20).map((s, k) => ({ ...s, start: k * 5, end: k * 5 + 4 }));
      calls.push({ transcript: { provider: 'test', rolesSource: 'channel' }, segmentsJson: JSON.stringify(part), durationSeconds: 100, rulePolicies: [] });
    }
  }
  return calls;
}

describe('RuleCheckPool (worker threads of a re-check)', () => {
  const packs = loadShippedPacks().map((p) => validateRulePack(p, { patterns: 'native' }));
  const trusted = [...new Set(packs.flatMap(regexSources))];
  const ruleSet = { key: 'shipped', packs, trusted };
  const compiled = compileRulePack(packs, { trustedPatterns: new Set(trusted) });
  let pool: Pool | null = null;

  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('finds on its threads exactly what the rules find in this thread, in the order of the calls', async () => {
    pool = RuleCheckPool.start(2);
    expect(pool).not.toBeNull();
    const calls = fixtureCalls();
    expect(calls.length).toBeGreaterThan(20);
    const expected = calls.map((c) => runCallRules(compiled, { ...c.transcript, segments: JSON.parse(c.segmentsJson) }, c));
    expect(expected.flat().length).toBeGreaterThan(50);
    expect(await pool?.run(ruleSet, calls)).toEqual(expected);
    // the second batch reuses each thread's compiled set (sent once)
    expect(await pool?.run(ruleSet, calls.slice(3, 9))).toEqual(expected.slice(3, 9));
  });

  it('fails the batch with the thread error, never with made-up findings', async () => {
    pool = RuleCheckPool.start(1);
    const calls = fixtureCalls().slice(0, 2);
    await expect(pool?.run(ruleSet, [{ ...(calls[0] as RuleCheckCall), segmentsJson: '[{"broken' }])).rejects.toThrow(/rule check thread: .*JSON/);
    expect(await pool?.run(ruleSet, calls)).toHaveLength(2);
  });
});
