import { originalRange, viewOf } from './text-view.js';

describe('viewOf', () => {
  it.each([
    ['four one one one, one one one one', '4111 1111'],
    ['double five, triple seven', '55 777'],
    ['nineteen eighty five', '1985'],
    ['twenty twenty one', '2021'],
    ['one eight hundred five five five', '1800555'],
    ['oh one two', '012'],
    ['I have one question', 'I have one question'],
    ['one moment please', 'one moment please'],
    ['一三八 一二三四 五六七八', '138 1234 5678'],
    ['幺三八，幺二三四', '138 1234'],
    ['我想问一下', '我想问一下'],
    ['三四个人', '三四个人'],
    ['卡号６２２２　０２０２', '卡号6222 0202'],
    ['ＡＢ＠ｅｘ．ｃｎ', 'AB@ex.cn'],
  ])('%s -> %s', (text, view) => expect(viewOf(text).text).toBe(view));

  it('maps every view character back to its original range', () => {
    const text = 'card is four one, one one and done';
    const view = viewOf(text);
    expect(view.text).toBe('card is 41 11 and done');
    const start = view.text.indexOf('41');
    const end = view.text.indexOf(' and');
    const range = originalRange(view, start, end);
    expect(text.slice(range.start, range.end)).toBe('four one, one one');
    expect(view.from).toHaveLength(view.text.length);
  });
});
