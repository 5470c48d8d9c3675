import { chineseNumeralValue, normaliseText, normaliseWithOffsets } from './text-normaliser.js';

describe('normaliseText', () => {
  it.each([
    ['Hello,   WORLD!', 'hello|world'],
    ["I can't — won’t", 'i cant wont'],
    ['ＦＵＬＬ　ＷＩＤＴＨ１２３', 'full width123'],
    ['這是繁體中文，保證收益', '这是繁体中文|保证收益'],
    ['您好 ， 我 是 小王', '你好|我是小王'],
    ['I am 小王 from ABC', 'i am小王from abc'],
    ['8.5% and 10,000', '8.5% and 10000'],
    ['a hundred percent, 8 percent, 百分之百, 百分之八点五', '100%|8%|100%|8.5%'],
    ['risk-free', 'risk free'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('maps every output character back into the input', () => {
    const input = 'ＡＢ, 百分之十五 ok';
    const n = normaliseWithOffsets(input);
    // no space survives next to a CJK character, even once the numeral became digits
    expect(n.text).toBe('ab|15%ok');
    expect(input.slice(n.origStart[0], n.origEnd[1])).toBe('ＡＢ');
    expect(input.slice(n.origStart[3], n.origEnd[5])).toBe('百分之十五');
  });

  it.each([
    ['十五', 15],
    ['一百', 100],
    ['三十', 30],
    ['八', 8],
    ['两千零五', 2005],
  ])('Chinese numeral %s = %d', (s, v) => {
    expect(chineseNumeralValue(s)).toBe(v);
  });
});
