import type { RedactionKind } from './sensitive-text.js';

// Contact-centre calls ask before they are answered: "Can I have your account number?" — "one two three four …". The
// answer carries no cue of its own, so a cue in what the other speaker said just before stands in for one: the answer
// is searched as if it began with a plain statement of that kind ("account number is …").
export interface AnswerCue {
  kind: RedactionKind;
  /** what, in the other speaker's last words, asks for this kind */
  asked: RegExp;
  /** the statement the answer is read as continuing, for English and Chinese answers */
  statement: { en: string; zh: string };
}

export const ANSWER_CUES: readonly AnswerCue[] = [
  {
    kind: 'bank_account',
    asked: /\b(?:account|acct|routing|iban|sort\s+code)\b|[账帐賬帳][号户號戶]|银行卡|卡号/i,
    statement: { en: 'account number is ', zh: '账号是' },
  },
  { kind: 'card', asked: /\bcard\b|卡号|信用卡|银行卡/i, statement: { en: 'card number is ', zh: '卡号是' } },
  {
    kind: 'national_id',
    asked: /\b(?:social\s+security|social|ssn|ss\s+number)\b/i,
    statement: { en: 'my social security number is ', zh: '社会安全号是 ssn ' },
  },
  {
    kind: 'date_of_birth',
    asked: /\b(?:date\s+of\s+birth|birth\s*date|birthday|d\.?o\.?b|when\s+were\s+you\s+born)\b|出生日期|出生年月|生日|哪年出生/i,
    statement: { en: 'my date of birth is ', zh: '出生日期是' },
  },
  {
    kind: 'phone',
    asked: /\b(?:phone|mobile|cell|telephone|contact\s+number|callback\s+number|number\s+to\s+(?:reach|call)|best\s+number)\b|电话|手机|号码|联系方式/i,
    statement: { en: 'my phone number is ', zh: '手机号是' },
  },
  { kind: 'email', asked: /e-?mail|邮箱|邮件|电邮/i, statement: { en: 'my email is ', zh: '邮箱是' } },
  {
    kind: 'address',
    asked: /\baddress\b|\bwhere\s+do\s+you\s+live\b|地址|住址|住在哪/i,
    statement: { en: 'my address is ', zh: '地址是' },
  },
  {
    kind: 'name',
    asked: /\b(?:your|the)\s+(?:[a-z]+\s+){0,3}name\b|\bwho\s+(?:am\s+i|i'm)\s+speaking\s+(?:with|to)\b|\bwho'?s\s+calling\b|贵姓|名字|姓名|怎么称呼|称呼您/i,
    statement: { en: 'my name is ', zh: '我叫' },
  },
];

/** How much of the other speaker's words is looked at: the end of their turn, where the question is. */
export const ASKED_TAIL = 100;

/** What an answer may start with before the asked-for value: "yes, sure, it's", "um", "好的，是". */
export const ANSWER_LEAD =
  /^(?:\s*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|right|um+|uh+|er+|hm+|so|well|of\s+course|it's|it\s+is|that's|that\s+would\s+be|that\s+is|i\s+think|my\s+\w+(?:\s+\w+)?\s+is|好的|好|嗯|呃|是的|是|对|我的是|我的)[\s,，.。:：-]*)*/i;
