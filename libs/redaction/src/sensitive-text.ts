import { ANSWER_CUES, ANSWER_LEAD, ASKED_TAIL } from './answer-cues.js';
import { chineseIdValid, ibanValid, IBAN_LENGTHS, luhnValid, ssnPlausible } from './checksums.js';
import { findAddresses, findDatesOfBirth, findNames, looksLikeAddress } from './cued-entities.js';
import { NOT_A_PHONE_CUE, PHONE_CUE, type PhoneCandidate, phoneCandidates, phoneShapes } from './phone-numbers.js';
import { type TextView, originalRange, viewOf } from './text-view.js';

export type RedactionKind = 'card' | 'national_id' | 'email' | 'bank_account' | 'phone' | 'name' | 'address' | 'date_of_birth';
export type RedactionCounts = Record<RedactionKind, number>;

export const REDACTION_KINDS: readonly RedactionKind[] = ['card', 'national_id', 'email', 'bank_account', 'phone', 'name', 'address', 'date_of_birth'];

/** What replaces each kind in redacted text. */
export const REDACTION_TOKENS: Readonly<Record<RedactionKind, string>> = {
  card: '[CARD]',
  national_id: '[NATIONAL_ID]',
  email: '[EMAIL]',
  bank_account: '[BANK_ACCOUNT]',
  phone: '[PHONE]',
  name: '[NAME]',
  address: '[ADDRESS]',
  date_of_birth: '[DOB]',
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

export interface RedactionOptions {
  /** the kinds to redact; default all (REDACTION_KINDS). The others are still found, so they are never taken for another kind. */
  kinds?: Iterable<RedactionKind>;
  /** what another speaker said just before: a question there ("your date of birth?") is a cue for this text's start */
  askedBefore?: string;
}

export function emptyCounts(): RedactionCounts {
  return { card: 0, national_id: 0, email: 0, bank_account: 0, phone: 0, name: 0, address: 0, date_of_birth: 0 };
}

// ---------- patterns (they run on the normalised view of the text: text-view.ts) ----------
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;
// An email as ASR writes it when spoken: "dana dot lee at example dot com", "zhangsan 艾特 qq 点 com". Only taken when
// an email keyword precedes it (SPOKEN_EMAIL_CONTEXT chars before): "look at google dot com" alone is not an address.
const SPOKEN_EMAIL =
  /(?<![A-Za-z0-9])[A-Za-z0-9][A-Za-z0-9._-]*(?:\s*(?:\b(?:dot|underscore|dash|hyphen)\b|点|下划线)\s*[A-Za-z0-9_-]+)*\s*(?:\bat\b|艾特|@)\s*[A-Za-z0-9-]+(?:\s*(?:\bdot\b|点|\.)\s*[A-Za-z0-9-]+)*\s*(?:\bdot\b|点|\.)\s*(?:com|net|org|edu|gov|cn|io|co|uk|de|fr|jp|hk|tw|sg|au|ca|info|biz|me)(?![A-Za-z0-9])/gi;
const EMAIL_KEYWORD = /e-?mail|邮箱|邮件|电邮|郵箱|郵件|電郵/i;
const SPOKEN_EMAIL_CONTEXT = 40;
const SPOKEN_LOCAL_LEAD = /(?:e-?mail|邮箱|邮件|电邮)(?:\s+address)?(?:\s+is|'s|\s*[:：是])?\s+((?:(?!(?:is|it's|address|was|please|uh|um)\s)[A-Za-z0-9]{1,12}\s+){1,2})$/i;

// Digits grouped by separators: one to three spaces, or a dash or dot with optional spaces around it.
const SEP = '(?:[ \\t]{1,3}|[ \\t]*[-.][ \\t]*)';
// Chinese resident identity number: 18 characters (the last may be X), grouped by any separators; region, birth date
// and check character are validated (chineseIdValid).
const CN_ID = new RegExp(`(?<![\\dA-Za-z])\\d(?:${SEP}?\\d){16}${SEP}?[\\dXx](?![\\dA-Za-z])`, 'g');
const SSN_KEYWORD = /\b(?:social\s+security(?:\s+(?:number|no\.?|#))?|social|ssn|ss\s*#|ss\s+number|ssns|ssid|tax\s*payer\s+id|itin)\b/i;
// how far before (or after) a 9-digit number a keyword makes it an SSN
const SSN_CONTEXT_BEFORE = 60;
const SSN_CONTEXT_AFTER = 30;

// A run of digit groups, not glued to letters (an order id) and not after "+" (an international phone number).
const DIGIT_RUN = new RegExp(`(?<![\\dA-Za-z+]|\\+ |[A-Za-z][-/])\\d+(?:${SEP}\\d+)*(?![\\dA-Za-z])`, 'g');
const DIGIT_RUN_AT = new RegExp(`\\d+(?:${SEP}\\d+)*`, 'y');

const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}/g;
const IBAN_MAX = 34;
const IBAN_KEYWORD = /\biban\b|国际银行账号|國際銀行賬號/i;

// Bank account numbers without a checksum are taken only after an account keyword:
//   EN: "bank/checking/savings/current/deposit account (number)", "account number|no.|#", "acct", "a/c",
//       "routing number", "sort code"; ZH: 银行卡(号), 卡号, 银行账号/账户, 账号, 账户, 开户账号 (and 帐/賬/帳 variants).
// Between the keyword and the digits: at most KEYWORD_GAP characters, no digit, no sentence end, at most four Latin
// words and six Chinese characters ("account number is", "账号是："). The digits: one run of 8–20 digits grouped by
// any separators, taken whole. A Luhn-valid card number found there first stays a card.
const ACCOUNT_KEYWORD =
  /\b(?:(?:bank|checking|savings|current|deposit)\s+account(?:\s+(?:number|no\.?|#))?|account\s+(?:number|no\.?|#)|acct\.?(?:\s+(?:number|no\.?|#))?|a\/c(?:\s+(?:number|no\.?|#))?|routing\s+(?:number|no\.?|#)|debit\s+card(?:\s+number)?)|银行卡号?|卡号|銀行卡號?|卡號|银行[账帐賬帳][号户號戶]|开户[账帐賬帳][号號]|[账帐賬帳][号户號戶]/gi;
const KEYWORD_GAP = 30;
const GAP = /[^\d.!?。！？;；\n]*/y;
// Not an account number: a balance, an amount or a phone number named in the gap, or a currency right after the digits.
const NOT_AN_ACCOUNT_GAP = /余额|金额|手机|电话|餘額|金額|手機|電話|balance|amount|total|phone|mobile|cell/i;
const UNIT_AFTER = /^\s*(?:元|块|万|亿|美元|dollars?|bucks|yuan|rmb|usd|%|percent)/i;
const CARD_CUE = /card|卡/i;
// A number introduced as another identifier is not a card, even when it passes Luhn (one number in ten does).
const NOT_A_CARD_CUE =
  /\b(?:order|tracking|case|ticket|ref(?:erence)?|invoice|confirmation|serial|policy|claim|member(?:ship)?|booking|reservation|transaction|receipt|parcel|shipment|model|imei|customer|patient|employee|student|passport|licen[cs]e)\b(?:\s+(?:number|no\.?|#|id|code))?[\s:#.]*(?:is|was)?[\s:#]*$|订单|单号|工单|编号|案件|快递|运单|保单|会员|发票|流水号|合同|序列号|订單|編號|發票/i;

class Claims {
  readonly matches: SensitiveMatch[] = [];

  /** Takes the span unless an earlier (higher-priority) match already covers part of it. */
  add(kind: RedactionKind, start: number, end: number): boolean {
    if (end <= start || this.matches.some((m) => m.start < end && start < m.end)) return false;
    this.matches.push({ kind, start, end });
    return true;
  }

  overlaps(start: number, end: number): boolean {
    return this.matches.some((m) => m.start < end && start < m.end);
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
function digitWindows(
  groups: readonly DigitGroup[],
  minDigits: number,
  maxDigits: number,
  accept: (digits: string, groups: readonly DigitGroup[]) => boolean,
): CharRange[] {
  let best: { first: number; last: number; length: number } | null = null;
  for (let first = 0; first < groups.length; first++) {
    let digits = '';
    for (let last = first; last < groups.length; last++) {
      digits += (groups[last] as DigitGroup).digits;
      if (digits.length > maxDigits) break;
      if (digits.length >= minDigits && digits.length > (best?.length ?? 0) && accept(digits, groups.slice(first, last + 1))) {
        best = { first, last, length: digits.length };
      }
    }
  }
  if (!best) return [];
  return [
    ...digitWindows(groups.slice(0, best.first), minDigits, maxDigits, accept),
    { start: (groups[best.first] as DigitGroup).start, end: (groups[best.last] as DigitGroup).end },
    ...digitWindows(groups.slice(best.last + 1), minDigits, maxDigits, accept),
  ];
}

/** Card numbers are written in groups of three or more digits (4-4-4-4, 4-6-5), or read out in even groups. */
function cardGrouping(groups: readonly DigitGroup[]): boolean {
  if (groups.length <= 2) return true;
  const inner = groups.slice(0, -1);
  return inner.every((g) => g.digits.length >= 3) || groups.every((g) => g.digits.length === (groups[0] as DigitGroup).digits.length);
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
  if (/[A-Za-z]/.test(view[end] ?? '')) return null;
  if (UNIT_AFTER.test(view.slice(end, end + 10))) return null;
  return { start, end, digits: run[0].replace(/\D/g, '').length };
}

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

/**
 * IBANs, taken whole: the country's length when it is known, else (or after the word "IBAN", for numbers whose length
 * a generator got wrong) the longest mod-97-valid prefix ending at a group end.
 */
function findIbans(view: string, claims: Claims): void {
  for (const m of view.matchAll(IBAN_START)) {
    const start = m.index;
    const expected = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    const ends: number[] = [];
    let exact: number | null = null;
    let count = 4;
    let i = start + 4;
    while (i < view.length && count < IBAN_MAX) {
      const sep = /^(?: {1,3}|\s*-\s*)/.exec(view.slice(i, i + 5));
      if (sep && isAlnum(view[i + sep[0].length])) {
        i += sep[0].length;
        continue;
      }
      if (!isAlnum(view[i])) break;
      i++;
      count++;
      // the whole IBAN must be there; glued to more letters or digits it is something else
      if (count === expected && !isAlnum(view[i])) exact = i;
      if (!isAlnum(view[i])) ends.push(i);
    }
    if (exact !== null && ibanValid(view.slice(start, exact))) {
      claims.add('bank_account', start, exact);
      continue;
    }
    if (expected !== undefined && !IBAN_KEYWORD.test(view.slice(Math.max(0, start - 30), start))) continue;
    for (const end of ends.reverse()) {
      if (ibanValid(view.slice(start, end), { anyLength: true })) {
        claims.add('bank_account', start, end);
        break;
      }
    }
  }
}

function ssnNearby(view: string, start: number, end: number): boolean {
  return SSN_KEYWORD.test(view.slice(Math.max(0, start - SSN_CONTEXT_BEFORE), start)) || SSN_KEYWORD.test(view.slice(end, end + SSN_CONTEXT_AFTER));
}

/**
 * US SSNs: ddd-dd-dddd, ddd.dd.dddd or ddd dd dddd on their own (the shape is an SSN's, unless another identifier is
 * named before it: "the reference is 123 45 6789"); 9 digits as ddddddddd, ddd-dddddd or ddddd-dddd, or with mixed
 * separators, only with an SSN keyword near. Never an impossible number (area 000, 666, 9xx; group 00;
 * serial 0000) and never glued to letters.
 */
function findSsns(view: string, claims: Claims): void {
  for (const m of view.matchAll(DIGIT_RUN)) {
    const groups = groupsOf(view, m.index, m.index + m[0].length);
    for (let first = 0; first < groups.length; first++) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 9; last++) {
        digits += (groups[last] as DigitGroup).digits;
        if (digits.length !== 9 || !ssnPlausible(digits)) continue;
        const start = (groups[first] as DigitGroup).start;
        const end = (groups[last] as DigitGroup).end;
        const text = view.slice(start, end);
        const keyword = ssnNearby(view, start, end);
        // 3-2-4 with one separator used twice is an SSN's own shape, unless another identifier is named before it
        const shaped =
          groups.length === 3 &&
          /^\d{3}([-. ])\d{2}\1\d{4}$/.test(text) &&
          (keyword || !NOT_A_CARD_CUE.test(view.slice(Math.max(0, start - 30), start)));
        const keyed = keyword && /^(?:\d{9}|\d{3}[ .-]{1,3}\d{2}[ .-]{1,3}\d{4}|\d{3}\s*-\s*\d{6}|\d{5}\s*-\s*\d{4})$/.test(text);
        if (shaped || keyed) claims.add('national_id', start, end);
      }
    }
  }
}

function phoneCued(view: string, start: number): boolean {
  return PHONE_CUE.test(view.slice(Math.max(0, start - 40), start));
}

function notAPhone(view: string, start: number, end: number): boolean {
  const before = view.slice(Math.max(0, start - 30), start);
  if (NOT_A_PHONE_CUE.test(before)) return true;
  if (UNIT_AFTER.test(view.slice(end, end + 10))) return true;
  const text = view.slice(start, end);
  // an SSN's shape (an impossible one: a possible one is already taken), dates and times
  if (/^\d{3}-\d{2}-\d{4}$/.test(text)) return true;
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$|^\d{1,2}:\d{2}/.test(text)) return true;
  if (/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(text)) return true;
  return false;
}

function findPhones(view: string, claims: Claims, candidates: readonly PhoneCandidate[]): void {
  for (const c of candidates) {
    if (claims.overlaps(c.start, c.end) || notAPhone(view, c.start, c.end)) continue;
    const formatted = /[\s().-]/.test(view.slice(c.start, c.end));
    const cued = phoneCued(view, c.start);
    if (c.international || cued || (c.valid && (c.digits.length >= 10 || formatted))) claims.add('phone', c.start, c.end);
  }
  for (const s of phoneShapes(view)) if (!notAPhone(view, s.start, s.end)) claims.add('phone', s.start, s.end);
  // spoken or unformatted numbers of phone length right after a phone cue ("my number is 5551234"); a local number
  // written 555-0123 after any "number"
  for (const m of view.matchAll(DIGIT_RUN)) {
    const end = m.index + m[0].length;
    if (/^\d{3}[-.]\d{4}$/.test(m[0]) && /\bnumber\b/i.test(view.slice(Math.max(0, m.index - 25), m.index)) && !notAPhone(view, m.index, end)) {
      claims.add('phone', m.index, end);
    }
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= 7 && digits <= 12 && phoneCued(view, m.index) && !notAPhone(view, m.index, m.index + m[0].length)) {
      claims.add('phone', m.index, m.index + m[0].length);
    }
  }
}

function findCards(view: string, claims: Claims, phones: readonly CharRange[]): void {
  for (const m of view.matchAll(DIGIT_RUN)) {
    if (NOT_A_CARD_CUE.test(view.slice(Math.max(0, m.index - 30), m.index))) continue;
    const windows = digitWindows(groupsOf(view, m.index, m.index + m[0].length), 12, 19, (digits, groups) => {
      // a run of zeros or one repeated digit passes Luhn but is no card (0604 Maestro numbers do start with 0)
      if (/^00|^(\d)\1+$/.test(digits) || !luhnValid(digits) || !cardGrouping(groups)) return false;
      // a 12–15 digit number that is also a phone number (libphonenumber, a phone shape) is one, unless a card is named
      const start = (groups[0] as DigitGroup).start;
      const end = (groups.at(-1) as DigitGroup).end;
      if (digits.length <= 15 && phones.some((p) => p.start < end && start < p.end)) {
        const before = view.slice(Math.max(0, start - 40), start);
        if (!CARD_CUE.test(before)) return false;
      }
      return true;
    });
    const runEnd = m.index + m[0].length;
    const runDigits = m[0].replace(/\D/g, '').length;
    for (const card of windows) {
      // digits read out right after a card number, within a card's 19, are its end that Luhn missed (a misheard
      // digit): the whole rest of the run goes with it
      const end = windows.length === 1 && runDigits <= 19 ? runEnd : card.end;
      claims.add('card', card.start, end);
    }
  }
}

/** Phone numbers as the phone rules alone would take them (used to keep them from being read as cards). */
function phoneLike(view: string, candidates: readonly PhoneCandidate[]): CharRange[] {
  const sure = candidates.filter((c) => (c.international || c.valid) && !notAPhone(view, c.start, c.end));
  return [...sure, ...phoneShapes(view)];
}

// Runs of more digits than any phone number has are hidden from the phone finder, which is slow on them.
const LONG_DIGIT_RUN = new RegExp(`\\d(?:${SEP}?\\d){30,}`, 'g');

/**
 * The sensitive spans of a text, sorted and never overlapping. In priority order: emails (written, or spoken after an
 * email keyword); IBANs (per-country length, mod 97), taken whole before any digit rule; Chinese resident ids
 * (region, birth date, check character); US SSNs (their 3-2-4 shape, or 9 digits near an SSN keyword); bank accounts
 * (8–20 digits after an account keyword); Luhn-valid card numbers (12–19 digits); dates of birth, phone numbers,
 * street addresses and personal names (dates, addresses and names after their cues). Digits may be written,
 * full-width, Chinese or spoken words. Only `options.kinds` are returned; `options.askedBefore` reads the text as an
 * answer to the other speaker's question.
 */
export function findSensitive(text: string, options: RedactionOptions = {}): SensitiveMatch[] {
  const found = findAll(text);
  if (options.askedBefore) found.push(...findAnswers(text, options.askedBefore, found));
  const wanted = new Set(options.kinds ?? REDACTION_KINDS);
  return found.filter((m) => wanted.has(m.kind)).sort((a, b) => a.start - b.start);
}

/**
 * Values given in answer to the other speaker's question ("your account number?" — "one two three four five six seven
 * eight"): the text read as continuing a statement of the asked kind (ANSWER_CUES), after a lead-in ("yes, it's").
 * Only the asked kind is taken, and nothing the text's own search already took.
 */
function findAnswers(text: string, askedBefore: string, taken: readonly SensitiveMatch[]): SensitiveMatch[] {
  const asked = askedBefore.slice(-ASKED_TAIL);
  const lead = ANSWER_LEAD.exec(text)?.[0].length ?? 0;
  const chinese = /[\u3400-\u9fff]/.test(text);
  const out: SensitiveMatch[] = [];
  for (const cue of ANSWER_CUES) {
    // an answer that states the value with its own cue ("免贵姓周", "my name is …") was searched already
    if (!cue.asked.test(asked) || taken.some((t) => t.kind === cue.kind)) continue;
    const statement = chinese ? cue.statement.zh : cue.statement.en;
    const shifted = text.slice(0, lead) + statement + text.slice(lead);
    const from = lead + statement.length;
    for (const m of findAll(shifted)) {
      if (m.kind !== cue.kind || m.start < from) continue;
      const match = { kind: m.kind, start: m.start - statement.length, end: m.end - statement.length };
      if (![...taken, ...out].some((t) => t.start < match.end && match.start < t.end)) out.push(match);
    }
  }
  return out;
}

/** Every kind's matches in original offsets (findSensitive without options). */
function findAll(text: string): SensitiveMatch[] {
  const view: TextView = viewOf(text);
  const v = view.text;
  const claims = new Claims();
  for (const m of v.matchAll(EMAIL)) claims.add('email', m.index, m.index + m[0].length);
  for (const m of v.matchAll(SPOKEN_EMAIL)) {
    const before = v.slice(Math.max(0, m.index - SPOKEN_EMAIL_CONTEXT), m.index);
    if (!EMAIL_KEYWORD.test(before)) continue;
    // "my email is k nguyen at gmail dot com": ASR splits the local part; take what follows the keyword's "is"
    const lead = SPOKEN_LOCAL_LEAD.exec(before);
    claims.add('email', m.index - (lead?.[1]?.length ?? 0), m.index + m[0].length);
  }
  findIbans(v, claims);
  for (const m of v.matchAll(CN_ID)) {
    if (chineseIdValid(m[0].replace(/[^\dXx]/g, ''))) claims.add('national_id', m.index, m.index + m[0].length);
  }
  findSsns(v, claims);
  // after an account keyword the whole run is the account, unless the whole run is a card number: Luhn-valid after a
  // card keyword (卡号, debit card), or Luhn-valid and of a card's usual 16–19 digits (one account number in ten
  // passes Luhn by chance)
  for (const m of v.matchAll(ACCOUNT_KEYWORD)) {
    const run = runAfterKeyword(v, m.index + m[0].length);
    if (!run || run.digits < 8 || run.digits > 20) continue;
    const digits = v.slice(run.start, run.end).replace(/\D/g, '');
    const card = luhnValid(digits) && digits.length <= 19 && (digits.length >= 16 || (digits.length >= 12 && CARD_CUE.test(m[0])));
    claims.add(card ? 'card' : 'bank_account', run.start, run.end);
  }
  const phoneFinds = phoneCandidates(v.replace(LONG_DIGIT_RUN, (run) => ' '.repeat(run.length)));
  findCards(v, claims, phoneLike(v, phoneFinds));
  for (const r of findDatesOfBirth(v)) claims.add('date_of_birth', r.start, r.end);
  findPhones(v, claims, phoneFinds);
  for (const r of findAddresses(v)) {
    // an address stops where something already taken (a phone number said after it) begins
    const next = claims.matches.filter((m) => m.start >= r.start && m.start < r.end).map((m) => m.start);
    const end = Math.min(r.end, ...next);
    const trimmed = v.slice(r.start, end).replace(/[\s,]+$/, '');
    if (looksLikeAddress(trimmed)) claims.add('address', r.start, r.start + trimmed.length);
  }
  for (const r of findNames(v)) claims.add('name', r.start, r.end);
  return claims.matches.map((m) => ({ kind: m.kind, ...originalRange(view, m.start, m.end) }));
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
 * Replaces each sensitive span (findSensitive) with its kind's token: [CARD], [NATIONAL_ID], [EMAIL], [BANK_ACCOUNT],
 * [PHONE], [NAME], [ADDRESS], [DOB]. Other numbers — amounts, order numbers, dates, times — stay.
 */
export function redactText(text: string, options: RedactionOptions = {}): RedactionResult {
  const matches = findSensitive(text, options);
  return { text: applyRedactions(text, matches), counts: countMatches(matches) };
}
