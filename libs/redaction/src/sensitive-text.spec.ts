import { chineseIdValid, ibanValid, luhnValid } from './checksums.js';
import { type RedactionCounts, findSensitive, redactText } from './sensitive-text.js';

const none: RedactionCounts = { card: 0, national_id: 0, email: 0, bank_account: 0, phone: 0, name: 0, address: 0, date_of_birth: 0 };
const counts = (c: Partial<RedactionCounts>): RedactionCounts => ({ ...none, ...c });

describe('checksums', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['79927398713', true],
    ['6222020200112233446', true],
  ])('luhn %s -> %s', (digits, ok) => expect(luhnValid(digits)).toBe(ok));

  it.each([
    ['11010519491231002X', true],
    ['110105194912310021', false],
    ['440304199001011233', true],
  ])('chinese id %s -> %s', (id, ok) => expect(chineseIdValid(id)).toBe(ok));

  it.each([
    ['GB82 WEST 1234 5698 7654 32', true],
    ['DE89370400440532013000', true],
    ['DE89370400440532013001', false],
    ['GB82 WEST 1234', false],
  ])('iban %s -> %s', (iban, ok) => expect(ibanValid(iban)).toBe(ok));
});

describe('redactText', () => {
  it.each([
    // cards: Luhn-checked, grouped or not, in English and Chinese text
    ['my card is 4111 1111 1111 1111 thanks', 'my card is [CARD] thanks', counts({ card: 1 })],
    ['card 4111-1111-1111-1111', 'card [CARD]', counts({ card: 1 })],
    ['我的卡号是6222020200112233446谢谢', '我的卡号是[CARD]谢谢', counts({ card: 1 })],
    ['卡号是 6222 0202 0011 2233 446，对', '卡号是 [CARD]，对', counts({ card: 1 })],
    ['卡号是６２２２０２０２００１１２２３３４４６好', '卡号是[CARD]好', counts({ card: 1 })],
    ['卡号是四一一一一一一一一一一一一一一一，好的', '卡号是[CARD]，好的', counts({ card: 1 })],
    ['twice 12 4111 1111 1111 1111 then', 'twice 12 [CARD] then', counts({ card: 1 })],
    ['cards 4111 1111 1111 1111 5500 0000 0000 0004 done', 'cards [CARD] [CARD] done', counts({ card: 2 })],
    // not cards: a non-Luhn 16-digit number, an order number, phone numbers (taken as phones), a number glued to letters
    ['order 4111111111111112 is not a card', 'order 4111111111111112 is not a card', none],
    ['order number 12345678901234 shipped', 'order number 12345678901234 shipped', none],
    ['订单号4111111111111112已发货', '订单号4111111111111112已发货', none],
    ['call +1 415 555 0123 at 10', 'call [PHONE] at 10', counts({ phone: 1 })],
    ['我的手机是 +86 138 0013 8000', '我的手机是 [PHONE]', counts({ phone: 1 })],
    ['ref ORD4111111111111111 please', 'ref ORD4111111111111111 please', none],
    // national ids
    ['身份证号11010519491231002X', '身份证号[NATIONAL_ID]', counts({ national_id: 1 })],
    ['身份证号码是 110105 19491231 002X 对吧', '身份证号码是 [NATIONAL_ID] 对吧', counts({ national_id: 1 })],
    ['身份证440304199001011233，卡号4111111111111111', '身份证[NATIONAL_ID]，卡号[CARD]', counts({ national_id: 1, card: 1 })],
    ['身份证号110105194912310021', '身份证号110105194912310021', none],
    ['ssn 123-45-6789 ok', 'ssn [NATIONAL_ID] ok', counts({ national_id: 1 })],
    ['my social security number is 123 45 6789 right', 'my social security number is [NATIONAL_ID] right', counts({ national_id: 1 })],
    ['the reference is 123 45 6789', 'the reference is 123 45 6789', none],
    // emails, written and spoken
    ['email me at dana.lee@example.com please', 'email me at [EMAIL] please', counts({ email: 1 })],
    ['我的邮箱是123456789@qq.com，谢谢', '我的邮箱是[EMAIL]，谢谢', counts({ email: 1 })],
    ['my email is dana dot lee at example dot com okay', 'my email is [EMAIL] okay', counts({ email: 1 })],
    ['邮箱是zhangsan艾特qq点com', '邮箱是[EMAIL]', counts({ email: 1 })],
    ['just look at google dot com', 'just look at google dot com', none],
    ['meet at 10 at the office', 'meet at 10 at the office', none],
    // bank accounts: IBAN (mod 97) and digits after an account keyword
    ['IBAN GB82 WEST 1234 5698 7654 32 and then', 'IBAN [BANK_ACCOUNT] and then', counts({ bank_account: 1 })],
    ['pay DE89370400440532013000 today', 'pay [BANK_ACCOUNT] today', counts({ bank_account: 1 })],
    ['pay DE89370400440532013001 today', 'pay DE89370400440532013001 today', none],
    ['my account number is 12345678 and', 'my account number is [BANK_ACCOUNT] and', counts({ bank_account: 1 })],
    ['acct no. 9876 5432 10, thanks', 'acct no. [BANK_ACCOUNT], thanks', counts({ bank_account: 1 })],
    ['routing number 021000021', 'routing number [BANK_ACCOUNT]', counts({ bank_account: 1 })],
    ['我的账号是 6217 0000 1234 5678', '我的账号是 [BANK_ACCOUNT]', counts({ bank_account: 1 })],
    ['银行卡号62220202001122334', '银行卡号[BANK_ACCOUNT]', counts({ bank_account: 1 })],
    ['account number 4111 1111 1111 1111', 'account number [CARD]', counts({ card: 1 })],
    ['账户余额是12345678元', '账户余额是12345678元', none],
    ['账号绑定的手机是13800138000', '账号绑定的手机是13800138000', none],
    ['my account number is 1234567', 'my account number is 1234567', none],
    ['the account was opened and the order 12345678 shipped', 'the account was opened and the order 12345678 shipped', none],
    ['account number. 12345678', 'account number. 12345678', none],
  ])('%s', (input, text, expected) => {
    expect(redactText(input)).toEqual({ text, counts: expected });
  });

  it('stays linear on a long run of digit groups', () => {
    const text = `${'1 '.repeat(20_000)}4111 1111 1111 1111`;
    const started = performance.now();
    expect(redactText(text).counts.card).toBe(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('returns char ranges in the original text, also around full-width and Chinese digits', () => {
    const text = '卡号是６２２２０２０２００１１２２３３４４６，邮箱a@b.cn';
    const found = findSensitive(text);
    expect(found).toEqual([
      { kind: 'card', start: 3, end: 22 },
      { kind: 'email', start: 25, end: 31 },
    ]);
    expect(text.slice(25, 31)).toBe('a@b.cn');
  });
});
