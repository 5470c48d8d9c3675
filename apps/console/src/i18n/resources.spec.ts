import { en } from './en.js';
import { zhCN } from './zh-CN.js';

function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
// strings that are the same in both languages on purpose
const SAME_IN_BOTH = new Set(['app.name']);

describe('console translations', () => {
  const english = new Map(leaves(en));
  const chinese = new Map(leaves(zhCN));

  it('have the same keys in English and Chinese', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each([...english.keys()])('%s is translated, with the same placeholders', (key) => {
    const zh = chinese.get(key) ?? '';
    expect(zh.trim()).not.toBe('');
    expect(placeholders(zh)).toEqual(placeholders(english.get(key) ?? ''));
    if (!SAME_IN_BOTH.has(key)) expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
