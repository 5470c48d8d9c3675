import { HitList, PhraseAutomaton } from './phrase-automaton.js';

function hitsOf(automaton: PhraseAutomaton, text: string, patterns: number): number[] {
  const hits = new HitList();
  automaton.scan(text, hits);
  const out = Array.from(hits.data.subarray(0, hits.length));
  // keep the real patterns' hits only (the padding patterns never occur)
  return out.filter((_, k) => (out[k - (k % 3)] as number) < patterns);
}

describe('PhraseAutomaton with few patterns (native substring search)', () => {
  // seeded, so a failure can be replayed
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const alphabet = ['a', 'b', 'n', ' ', '|', '\n', '1', '保', '本', '收', '益'];
  const word = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

  it('finds the same occurrences in the same order as the automaton, overlaps and word boundaries included', () => {
    const padding = Array.from({ length: 12 }, (_, i) => `zzpadding${i}`);
    let compared = 0;
    for (let round = 0; round < 400; round++) {
      const patterns = [...new Set(Array.from({ length: 1 + Math.floor(random() * 8) }, () => word(1, 4).replace(/^[ |\n]+|[ |\n]+$/g, '') || 'a'))];
      const few = new PhraseAutomaton(patterns);
      const full = new PhraseAutomaton([...patterns, ...padding]);
      const text = word(0, 300);
      const expected = hitsOf(full, text, patterns.length);
      expect(hitsOf(few, text, patterns.length)).toEqual(expected);
      compared += expected.length / 3;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('keeps word boundaries for Latin phrases and none for Chinese ones', () => {
    const automaton = new PhraseAutomaton(['con', '保本']);
    expect(hitsOf(automaton, 'icon con 保本保本', 2)).toEqual([0, 5, 8, 1, 9, 11, 1, 11, 13]);
  });
});
