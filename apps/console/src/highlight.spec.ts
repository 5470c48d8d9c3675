import { evidenceSpan, splitBySpans } from './highlight.js';

describe('evidenceSpan', () => {
  it('uses the recorded span when the text there is the evidence', () => {
    expect(evidenceSpan('我们保证收益百分之八', { charStart: 2, charEnd: 6, text: '保证收益' })).toEqual({ start: 2, end: 6 });
  });

  it('finds the evidence when redaction moved the offsets', () => {
    const shown = '卡号是[银行卡]，我们保证收益';
    expect(evidenceSpan(shown, { charStart: 25, charEnd: 29, text: '保证收益' })).toEqual({ start: shown.indexOf('保证收益'), end: shown.indexOf('保证收益') + 4 });
  });

  it('never splits a surrogate pair at either boundary', () => {
    const text = 'a𠮷b𠮷c';
    // 𠮷 is two UTF-16 units; a span from inside the first to inside the second widens to whole characters
    expect(evidenceSpan(text, { charStart: 2, charEnd: 5 })).toEqual({ start: 1, end: 6 });
  });

  it('is null without evidence or when the quote is nowhere in the text', () => {
    expect(evidenceSpan('hello', null)).toBeNull();
    expect(evidenceSpan('hello', { text: 'goodbye' })).toBeNull();
  });
});

describe('splitBySpans', () => {
  it('merges overlapping spans and keeps every character once', () => {
    const pieces = splitBySpans('保证您的收益稳定', [
      { start: 0, end: 2 },
      { start: 1, end: 4 },
      { start: 6, end: 8 },
    ]);
    expect(pieces).toEqual([
      { text: '保证您的', highlighted: true },
      { text: '收益', highlighted: false },
      { text: '稳定', highlighted: true },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe('保证您的收益稳定');
  });
});
