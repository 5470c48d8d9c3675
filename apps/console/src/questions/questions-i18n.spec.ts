import { questionsEn, questionsZhCN } from './questions-i18n.js';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('question editor translations', () => {
  it('have the same keys in English and Chinese', () => {
    expect(Object.keys(questionsZhCN).sort()).toEqual(Object.keys(questionsEn).sort());
  });

  it.each(Object.entries(questionsEn))('%s is translated, with the same placeholders', (key, english) => {
    const zh = questionsZhCN[key as keyof typeof questionsEn];
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    expect(placeholders(zh)).toEqual(placeholders(english));
  });
});
