import { chineseIdValid, luhnValid, redactText } from './redaction.js';

describe('redaction', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
  ])('luhn %s -> %s', (digits, ok) => expect(luhnValid(digits)).toBe(ok));

  it.each([
    ['11010519491231002X', true],
    ['110105194912310021', false],
  ])('chinese id %s -> %s', (id, ok) => expect(chineseIdValid(id)).toBe(ok));

  it.each([
    ['my card is 4111 1111 1111 1111 thanks', 'my card is [CARD] thanks', { card: 1, national_id: 0 }],
    ['card 4111-1111-1111-1111', 'card [CARD]', { card: 1, national_id: 0 }],
    ['order 4111111111111112 is not a card', 'order 4111111111111112 is not a card', { card: 0, national_id: 0 }],
    ['身份证号11010519491231002X', '身份证号[NATIONAL_ID]', { card: 0, national_id: 1 }],
    ['ssn 123-45-6789 ok', 'ssn [NATIONAL_ID] ok', { card: 0, national_id: 1 }],
    ['call +1 415 555 0123 at 10', 'call +1 415 555 0123 at 10', { card: 0, national_id: 0 }],
  ])('%s', (input, text, counts) => {
    expect(redactText(input)).toEqual({ text, counts });
  });
});
