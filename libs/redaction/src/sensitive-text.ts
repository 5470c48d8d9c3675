import { chineseIdValid, ibanValid, luhnValid } from './checksums.js';

export type RedactionKind = 'card' | 'national_id' | 'email' | 'bank_account';
export type RedactionCounts = Record<RedactionKind, number>;

export const REDACTION_KINDS: readonly RedactionKind[] = ['card', 'national_id', 'email', 'bank_account'];

/** What replaces each kind in redacted text. */
export const REDACTION_TOKENS: Readonly<Record<RedactionKind, string>> = {
  card: '[CARD]',
  national_id: '[NATIONAL_ID]',
  email: '[EMAIL]',
  bank_account: '[BANK_ACCOUNT]',
};

/** One sensitive span of a text: UTF-16 offsets, end exclusive. */
export interface SensitiveMatch {
  kind: RedactionKind;
  start: number;
  end: number;
}

export interface RedactionResult {
  text: string;
  counts: RedactionCounts;
}

export function emptyCounts(): RedactionCounts {
  return { card: 0, national_id: 0, email: 0, bank_account: 0 };
}

// ---------- a same-length "view" of the text that the patterns run on ----------
// Each character maps to exactly one character, so offsets in the view are offsets in the text. Full-width digits and
// punctuation become ASCII; runs of four or more Chinese digit characters (六二二二…, as ASR writes spoken digits)
// become digits. A lone 一 stays: it is the most common character in Chinese ("一下", "一共") and would otherwise
// glue itself onto a number that precedes it.
const CHAR_MAP: Record<string, string> = {
  '\u3000': ' ', '－': '-', '‐': '-', '‑': '-', '–': '-', '—': '-', '＠': '@', '．': '.', 'Ｘ': 'X', 'ｘ': 'x',
};
const CJK_DIGITS: Record<string, string> = {
  零: '0', '〇': '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
const CJK_DIGIT_RUN = /[零〇一幺二三四五六七八九](?:[ -]?[零〇一幺二三四五六七八九]){3,}/g;

function viewOf(text: string): string {
  let view = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xff10 && code <= 0xff19) view += String.fromCharCode(code - 0xff10 + 48);
    else view += CHAR_MAP[ch] ?? ch;
  }
  return view.replace(CJK_DIGIT_RUN, (run) => run.replace(/[^ -]/g, (c) => CJK_DIGITS[c] ?? c));
}

// ---------- patterns ----------
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// An email as ASR writes it when spoken: "dana dot lee at example dot com", "zhangsan 艾特 qq 点 com". Only taken when
// an email keyword precedes it (SPOKEN_EMAIL_CONTEXT chars before): "look at google dot com" alone is not an address.
const SPOKEN_EMAIL =
  /(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9._-]*(?:\s*(?:\bdot\b|点)\s*[A-Za-z0-9_-]+)*\s*(?:\bat\b|艾特|@)\s*[A-Za-z0-9-]+(?:\s*(?:\bdot\b|点|\.)\s*[A-Za-z0-9-]+)*\s*(?:\bdot\b|点|\.)\s*(?:com|net|org|edu|gov|cn|io|co|uk|de|fr|jp|hk|tw|sg|au|ca|info|biz|me)(?![A-Za-z0-9])/gi;
const EMAIL_KEYWORD = /e-?mail|邮箱|邮件|电邮|郵箱|郵件|電郵/i;
const SPOKEN_EMAIL_CONTEXT = 40;

// Chinese resident identity number: 18 characters (the last may be X), possibly grouped by spaces or dashes; the
// check character must be valid.
const CN_ID = /(?<![\dA-Za-z])\d(?:[ -]?\d){16}[ -]?[\dXx](?![\dA-Za-z])/g;
// US SSN written with dashes, minus the never-issued ranges.
const US_SSN = /(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)/g;
const SSN_KEYWORD = /\b(?:social\s+security(?:\s+number)?|ssn)\b/gi;

// A run of digits grouped by single spaces or dashes ("4111 1111 1111 1111"), not glued to letters (an order id) and
// not after "+" (an international phone number). A card is 13–19 of its digits, Luhn-valid, starting 2–6 (the issuer
// ranges of Visa, Mastercard, Amex, Discover, JCB, UnionPay, Diners): "86 138 0013 8000" is a phone number.
const DIGIT_RUN = /(?<![\dA-Za-z+]|\+ )\d+(?:[ -]\d+)*(?![\dA-Za-z])/g;
const CARD_DIGITS = /^[2-6]/;
const DIGIT_RUN_AT = /\d+(?:[ -]\d+)*/y;

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}/g;
const IBAN_MAX = 34;

// Bank account numbers without a checksum are taken only after an account keyword:
//   EN: "bank/checking/savings/current/deposit account (number)", "account number|no.|#", "acct", "a/c",
//       "routing number"; ZH: 银行卡(号), 银行账号/账户, 账号, 账户, 开户账号 (and 帐/賬/帳 variants).
// Between the keyword and the digits: at most KEYWORD_GAP characters, no digit, no sentence end, at most four Latin
// words and six Chinese characters ("account number is", "账号是："). The digits: one run of 8–20 digits grouped by
// single spaces or dashes, taken whole. A Luhn-valid card number found there first stays a card.
const ACCOUNT_KEYWORD =
  /\b(?:(?:bank|checking|savings|current|deposit)\s+account(?:\s+(?:number|no\.?|#))?|account\s+(?:number|no\.?|#)|acct\.?(?:\s+(?:number|no\.?|#))?|a\/c(?:\s+(?:number|no\.?|#))?|routing\s+(?:number|no\.?|#))|银行卡号?|银行[账帐賬帳][号户號戶]|开户[账帐賬帳][号號]|[账帐賬帳][号户號戶]/gi;
const KEYWORD_GAP = 30;
const GAP = /[^\d.!?。！？;；\n]*/y;
// Not an account number: a balance, an amount or a phone number named in the gap, or a currency right after the digits.
const NOT_AN_ACCOUNT_GAP = /余额|金额|手机|电话|餘額|金額|手機|電話|balance|amount|total|phone|mobile|cell/i;
const UNIT_AFTER = /^\s*(?:元|块|万|亿|美元|dollars?|bucks|yuan|rmb|usd|%|percent)/i;

class Claims {
  readonly matches: SensitiveMatch[] = [];

  /** Takes the span unless an earlier (higher-priority) match already covers part of it. */
  add(kind: RedactionKind, start: number, end: number): void {
    if (end > start && !this.matches.some((m) => m.start < end && start < m.end)) this.matches.push({ kind, start, end });
  }
}

interface CharRange {
  start: number;
  end: number;
}

interface DigitGroup extends CharRange {
  digits: string;
}

function groupsOf(view: string, start: number, end: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  for (const m of view.slice(start, end).matchAll(/\d+/g)) {
    groups.push({ start: start + m.index, end: start + m.index + m[0].length, digits: m[0] });
  }
  return groups;
}

/**
 * Runs of whole groups whose digits (minDigits..maxDigits of them) satisfy `accept`: the longest first, then the same
 * search on each side of it. A card number read out after another number, or two cards in one breath, are found.
 */
function digitWindows(groups: readonly DigitGroup[], minDigits: number, maxDigits: number, accept: (digits: string) => boolean): CharRange[] {
  let best: { first: number; last: number; length: number } | null = null;
  for (let first = 0; first < groups.length; first++) {
    let digits = '';
    for (let last = first; last < groups.length; last++) {
      digits += (groups[last] as DigitGroup).digits;
      if (digits.length > maxDigits) break;
      if (digits.length >= minDigits && digits.length > (best?.length ?? 0) && accept(digits)) best = { first, last, length: digits.length };
    }
  }
  if (!best) return [];
  return [
    ...digitWindows(groups.slice(0, best.first), minDigits, maxDigits, accept),
    { start: (groups[best.first] as DigitGroup).start, end: (groups[best.last] as DigitGroup).end },
    ...digitWindows(groups.slice(best.last + 1), minDigits, maxDigits, accept),
  ];
}

/** The digit run that follows a keyword within the allowed gap, or null. */
function runAfterKeyword(view: string, keywordEnd: number): { start: number; end: number; digits: number } | null {
  GAP.lastIndex = keywordEnd;
  const gap = GAP.exec(view)?.[0] ?? '';
  if (gap.length > KEYWORD_GAP) return null;
  if ((gap.match(/[A-Za-z']+/g) ?? []).length > 4 || (gap.match(/[\u3400-\u9fff]/g) ?? []).length > 6) return null;
  if (NOT_AN_ACCOUNT_GAP.test(gap)) return null;
  DIGIT_RUN_AT.lastIndex = keywordEnd + gap.length;
  const run = DIGIT_RUN_AT.exec(view);
  if (!run) return null;
  const start = run.index;
  const end = start + run[0].length;
  if (UNIT_AFTER.test(view.slice(end, end + 10))) return null;
  return { start, end, digits: run[0].replace(/[ -]/g, '').length };
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

function findIbans(view: string, claims: Claims): void {
  for (const m of view.matchAll(IBAN_START)) {
    const start = m.index;
    const ends: number[] = [];
    let count = 4;
    let i = start + 4;
    while (i < view.length && count < IBAN_MAX) {
      if (view[i] === ' ' && isAlnum(view[i + 1])) {
        i++;
        continue;
      }
      if (!isAlnum(view[i])) break;
      i++;
      count++;
      if (!isAlnum(view[i])) ends.push(i);
    }
    for (const end of ends.reverse()) {
      if (ibanValid(view.slice(start, end))) {
        claims.add('bank_account', start, end);
        break;
      }
    }
  }
}

/**
 * The sensitive spans of a text, sorted and never overlapping: emails (written, or spoken after an email keyword),
 * national ids (Chinese resident id with a valid check character; US SSN written ddd-dd-dddd or 9 digits after
 * "SSN"/"social security"), Luhn-valid card numbers (13–19 digits), bank accounts (an IBAN with a valid mod-97 check;
 * 8–20 digits after an account keyword). Works on Chinese text without spaces and on full-width or Chinese digits.
 */
export function findSensitive(text: string): SensitiveMatch[] {
  const view = viewOf(text);
  const claims = new Claims();
  for (const m of view.matchAll(EMAIL)) claims.add('email', m.index, m.index + m[0].length);
  for (const m of view.matchAll(SPOKEN_EMAIL)) {
    if (EMAIL_KEYWORD.test(view.slice(Math.max(0, m.index - SPOKEN_EMAIL_CONTEXT), m.index))) {
      claims.add('email', m.index, m.index + m[0].length);
    }
  }
  for (const m of view.matchAll(CN_ID)) {
    if (chineseIdValid(m[0].replace(/[ -]/g, ''))) claims.add('national_id', m.index, m.index + m[0].length);
  }
  for (const m of view.matchAll(US_SSN)) claims.add('national_id', m.index, m.index + m[0].length);
  for (const m of view.matchAll(SSN_KEYWORD)) {
    const run = runAfterKeyword(view, m.index + m[0].length);
    if (run && run.digits === 9) claims.add('national_id', run.start, run.end);
  }
  for (const m of view.matchAll(DIGIT_RUN)) {
    for (const card of digitWindows(groupsOf(view, m.index, m.index + m[0].length), 13, 19, (d) => CARD_DIGITS.test(d) && luhnValid(d))) {
      claims.add('card', card.start, card.end);
    }
  }
  findIbans(view, claims);
  for (const m of view.matchAll(ACCOUNT_KEYWORD)) {
    const run = runAfterKeyword(view, m.index + m[0].length);
    if (run && run.digits >= 8 && run.digits <= 20) claims.add('bank_account', run.start, run.end);
  }
  return claims.matches.sort((a, b) => a.start - b.start);
}

/** Replaces each match with its kind's token; `matches` must be sorted and not overlap (as findSensitive returns them). */
export function applyRedactions(text: string, matches: readonly SensitiveMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + REDACTION_TOKENS[m.kind];
    at = m.end;
  }
  return out + text.slice(at);
}

export function countMatches(matches: readonly SensitiveMatch[], into: RedactionCounts = emptyCounts()): RedactionCounts {
  for (const m of matches) into[m.kind]++;
  return into;
}

/**
 * Replaces card numbers with [CARD], national ids with [NATIONAL_ID], emails with [EMAIL] and bank account numbers
 * with [BANK_ACCOUNT] (rules: findSensitive). Other numbers — phone numbers, amounts, order numbers — stay.
 */
export function redactText(text: string): RedactionResult {
  const matches = findSensitive(text);
  return { text: applyRedactions(text, matches), counts: countMatches(matches) };
}
