import { deskEn, deskZh } from './strings.js';

function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('desk translations', () => {
  const english = new Map(leaves(deskEn));
  const chinese = new Map(leaves(deskZh));

  it('have the same keys in English and Chinese', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each([...english.keys()])('%s is Chinese, with the same placeholders', (key) => {
    const zh = chinese.get(key) ?? '';
    expect(placeholders(zh)).toEqual(placeholders(english.get(key) ?? ''));
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
