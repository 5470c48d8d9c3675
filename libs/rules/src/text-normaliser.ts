import { traditionalToSimplifiedTable } from './traditional-chinese.table.js';

/** Clause boundary in normalised text (sentence and clause punctuation of any script). */
export const CLAUSE = '|';
/** Segment boundary in the joined text of a transcript. */
export const SEGMENT = '\n';

const CLAUSE_CODE = 0x7c;
const SEGMENT_CODE = 0x0a;
const SPACE = 0x20;

/** Normalised text with, for every output character, the span of input characters it came from. */
export interface NormalisedText {
  text: string;
  origStart: Int32Array;
  origEnd: Int32Array;
}

export function isCjk(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x3040 && c <= 0x30ff);
}

export function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0xc0 && c <= 0x24f);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// 0 = drop, 1 = space, 2 = clause boundary, 3 = keep
const KIND = new Uint8Array(0x10000).fill(3);
(() => {
  for (let c = 0; c < 0x20; c++) KIND[c] = 1;
  for (const c of " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000") {
    KIND[c.charCodeAt(0)] = 1;
  }
  for (const c of '\u200b\u200c\u200d\ufeff\'\u2018\u2019\u201b`\u00b4') KIND[c.charCodeAt(0)] = 0;
  for (const c of '.,;:!?\u3002\uff0c\uff1b\uff1a\uff01\uff1f\u3001\u2026\u00bf\u00a1\uff61\uff64|') KIND[c.charCodeAt(0)] = 2;
  for (const c of '"()[]{}<>-_/\\~*#@&^+=\u201c\u201d\u300a\u300b\u300c\u300d\u300e\u300f\uff08\uff09\u3010\u3011\u2013\u2014\u2015\u00b7\u2022\u30fb\u3008\u3009\u2012\uff5e') {
    KIND[c.charCodeAt(0)] = 1;
  }
})();

const DECODER = new TextDecoder('utf-16le');

/** Growable buffer the normaliser writes into; one per call, shared by all segments of a transcript. */
export class NormalisedBuffer {
  codes: Uint16Array;
  origStart: Int32Array;
  origEnd: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.codes = new Uint16Array(capacity);
    this.origStart = new Int32Array(capacity);
    this.origEnd = new Int32Array(capacity);
  }

  private grow(min: number): void {
    let size = this.codes.length * 2;
    while (size < min) size *= 2;
    const codes = new Uint16Array(size);
    codes.set(this.codes.subarray(0, this.length));
    const s = new Int32Array(size);
    s.set(this.origStart.subarray(0, this.length));
    const e = new Int32Array(size);
    e.set(this.origEnd.subarray(0, this.length));
    this.codes = codes;
    this.origStart = s;
    this.origEnd = e;
  }

  ensure(extra: number): void {
    if (this.length + extra > this.codes.length) this.grow(this.length + extra);
  }

  push(code: number, start: number, end: number): void {
    const n = this.length;
    this.codes[n] = code;
    this.origStart[n] = start;
    this.origEnd[n] = end;
    this.length = n + 1;
  }

  last(): number {
    return this.length > 0 ? (this.codes[this.length - 1] as number) : -1;
  }

  toText(): string {
    return DECODER.decode(this.codes.subarray(0, this.length));
  }
}

/**
 * Appends the normalised form of `src` to `buf`: lower case, full width folded to ASCII, traditional Chinese to
 * simplified, 您 to 你, apostrophes dropped ("can't" -> "cant"), clause punctuation to "|", other punctuation and
 * whitespace to one space, no spaces next to CJK characters. Output positions map to input spans.
 */
export function appendNormalised(src: string, buf: NormalisedBuffer): void {
  const t2s = traditionalToSimplifiedTable();
  buf.ensure(src.length + 1);
  const codes = buf.codes;
  const oStart = buf.origStart;
  const oEnd = buf.origEnd;
  const segStart = buf.length;
  let len = segStart;
  let last = -1;
  const n = src.length;
  for (let i = 0; i < n; i++) {
    let c = src.charCodeAt(i);
    if (c >= 0x3400) {
      if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
      else {
        const s = t2s[c] as number;
        if (s !== 0) c = s;
        if (c === 0x60a8) c = 0x4f60; // 您 -> 你
      }
    }
    if (c >= 0x41 && c <= 0x5a) c += 32;
    else if (c >= 0xc0 && c <= 0xde && c !== 0xd7) c += 32;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      codes[len] = c;
      oStart[len] = i;
      oEnd[len++] = i + 2;
      codes[len] = src.charCodeAt(i + 1);
      oStart[len] = i;
      oEnd[len++] = i + 2;
      last = codes[len - 1] as number;
      i++;
      continue;
    }
    const kind = KIND[c] as number;
    if (kind === 3) {
      // a space survives only between two non-CJK characters
      if (last === SPACE && (isCjk(c) || isCjk(codes[len - 2] as number))) len--;
      codes[len] = c;
      oStart[len] = i;
      oEnd[len++] = i + 1;
      last = c;
    } else if (kind === 1) {
      if (last === -1 || last === SPACE || last === CLAUSE_CODE || isCjk(last)) continue;
      codes[len] = SPACE;
      oStart[len] = i;
      oEnd[len++] = i + 1;
      last = SPACE;
    } else if (kind === 2) {
      // "8.5" and "10,000" are numbers, not clause ends
      if ((c === 0x2e || c === 0x2c) && isDigit(last) && i + 1 < n && isDigit(src.charCodeAt(i + 1))) {
        if (c === 0x2e) {
          codes[len] = c;
          oStart[len] = i;
          oEnd[len++] = i + 1;
          last = c;
        }
        continue;
      }
      if (last === SPACE) {
        len--;
        last = len > segStart ? (codes[len - 1] as number) : -1;
      }
      if (last === -1 || last === CLAUSE_CODE) continue;
      codes[len] = CLAUSE_CODE;
      oStart[len] = i;
      oEnd[len++] = i + 1;
      last = CLAUSE_CODE;
    }
  }
  while (len > segStart && (codes[len - 1] === SPACE || codes[len - 1] === CLAUSE_CODE)) len--;
  buf.length = len;
}

const CN_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Value of a Chinese numeral below 10,000 ("十五", "一百", "三十"); null when it is not one. */
export function chineseNumeralValue(s: string): number | null {
  let total = 0;
  let digit = -1;
  for (const ch of s) {
    const d = CN_DIGIT[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : ch === '千' ? 1000 : 0;
    if (unit === 0) return null;
    total += (digit === -1 ? 1 : digit) * unit;
    digit = -1;
  }
  if (digit !== -1) total += digit;
  return s.length > 0 ? total : null;
}

const CN_PERCENT = /百分之([零〇一二两三四五六七八九十百千]+)(?:点([零〇一二两三四五六七八九]+))?/g;
const EN_PERCENT = /per ?cent\b/g;
const BEFORE_PERCENT_DIGITS = /(\d+(?:\.\d+)?) ?$/;
const BEFORE_PERCENT_HUNDRED = /(?:(?:^|[^a-z0-9])(?:a|one) )?hundred $/;

interface Rewrite {
  start: number;
  end: number;
  text: string;
}

/** Percentages in one form: "百分之百" and "a hundred percent" -> "100%", "8 percent" -> "8%", "百分之八点五" -> "8.5%". */
function numeralRewrites(text: string): Rewrite[] {
  const out: Rewrite[] = [];
  if (text.includes('百分之')) {
    CN_PERCENT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CN_PERCENT.exec(text)) !== null) {
      const whole = chineseNumeralValue(m[1] ?? '');
      if (whole === null) continue;
      const frac = m[2] ? [...m[2]].map((ch) => CN_DIGIT[ch] ?? 0).join('') : '';
      out.push({ start: m.index, end: m.index + m[0].length, text: `${whole}${frac ? `.${frac}` : ''}%` });
    }
  }
  if (text.includes('percent') || text.includes('per cent')) {
    EN_PERCENT.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = EN_PERCENT.exec(text)) !== null) {
      if (m.index > 0 && /[a-z0-9]/.test(text.charAt(m.index - 1))) continue;
      const from = Math.max(0, m.index - 24);
      const before = text.slice(from, m.index);
      const digits = BEFORE_PERCENT_DIGITS.exec(before);
      const hundred = digits ? null : BEFORE_PERCENT_HUNDRED.exec(before);
      const hit = digits ?? hundred;
      if (!hit) continue;
      const start = from + hit.index + (hundred && /^[^a-z0-9]/.test(hit[0]) ? 1 : 0);
      out.push({ start, end: m.index + m[0].length, text: digits ? `${digits[1]}%` : '100%' });
    }
    out.sort((x, y) => x.start - y.start);
  }
  return out;
}

/** Applies numeralRewrites, keeping the offset map (a rewrite is never longer than what it replaces). */
function unifyNumerals(norm: NormalisedText): NormalisedText {
  const { text } = norm;
  const rewrites = numeralRewrites(text);
  if (rewrites.length === 0) return norm;
  const parts: string[] = [];
  let cursor = 0;
  let len = 0;
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  const copy = (from: number, to: number): void => {
    parts.push(text.slice(from, to));
    starts.set(norm.origStart.subarray(from, to), len);
    ends.set(norm.origEnd.subarray(from, to), len);
    len += to - from;
  };
  for (const r of rewrites) {
    if (r.start < cursor || r.text.length > r.end - r.start) continue;
    copy(cursor, r.start);
    parts.push(r.text);
    starts.fill(norm.origStart[r.start] as number, len, len + r.text.length);
    ends.fill(norm.origEnd[r.end - 1] as number, len, len + r.text.length);
    len += r.text.length;
    cursor = r.end;
  }
  copy(cursor, text.length);
  return { text: parts.join(''), origStart: starts.subarray(0, len), origEnd: ends.subarray(0, len) };
}

/** Normalises one text and keeps the map back to input positions. */
export function normaliseWithOffsets(src: string): NormalisedText {
  const buf = new NormalisedBuffer();
  appendNormalised(src, buf);
  return unifyNumerals({
    text: buf.toText(),
    origStart: buf.origStart.slice(0, buf.length),
    origEnd: buf.origEnd.slice(0, buf.length),
  });
}

/** The text matching runs on: see appendNormalised for what is folded. Phrases and regexes in packs are written against it. */
export function normaliseText(src: string): string {
  return normaliseWithOffsets(src).text;
}

/** Normalises all segments into one text joined by SEGMENT; origStart/origEnd are relative to each segment's own text. */
export function normaliseSegments(texts: readonly string[]): NormalisedText & { segStart: Int32Array; segEnd: Int32Array } {
  let total = texts.length + 16;
  for (const text of texts) total += text.length;
  const buf = new NormalisedBuffer(total);
  for (const text of texts) {
    appendNormalised(text, buf);
    buf.ensure(1);
    buf.push(SEGMENT_CODE, -1, -1);
  }
  const norm = unifyNumerals({
    text: buf.toText(),
    origStart: buf.origStart.subarray(0, buf.length),
    origEnd: buf.origEnd.subarray(0, buf.length),
  });
  const segStart = new Int32Array(texts.length);
  const segEnd = new Int32Array(texts.length);
  let from = 0;
  for (let i = 0; i < texts.length; i++) {
    const nl = norm.text.indexOf(SEGMENT, from);
    segStart[i] = from;
    segEnd[i] = nl;
    from = nl + 1;
  }
  return { ...norm, segStart, segEnd };
}

export { CLAUSE_CODE, SEGMENT_CODE };
