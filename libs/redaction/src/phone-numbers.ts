import { type CountryCode, type NumberFound, findNumbers } from 'libphonenumber-js/max';

// libphonenumber-js documents the finder's `leniency` option (README, "findNumbers") but its typings leave it out.
const findPhoneNumbers = findNumbers as (
  text: string,
  options: { defaultCountry: CountryCode; v2: true; leniency: 'POSSIBLE' | 'VALID' | 'STRICT_GROUPING' | 'EXACT_GROUPING' },
) => NumberFound[];

export interface PhoneCandidate {
  start: number;
  end: number;
  /** libphonenumber says the number is valid (assigned ranges), not only of a possible length */
  valid: boolean;
  international: boolean;
  digits: string;
}

// The countries whose national formats are tried for numbers written without "+": the service's two languages.
const DEFAULT_COUNTRIES: readonly CountryCode[] = ['US', 'CN', 'GB'];

/** Every possible phone number libphonenumber's finder sees in the text, read as a US, Chinese or UK number; merged. */
export function phoneCandidates(text: string): PhoneCandidate[] {
  const found = new Map<string, PhoneCandidate>();
  for (const country of DEFAULT_COUNTRIES) {
    for (const m of findPhoneNumbers(text, { defaultCountry: country, v2: true, leniency: 'POSSIBLE' })) {
      const key = `${m.startsAt}:${m.endsAt}`;
      const raw = text.slice(m.startsAt, m.endsAt);
      const candidate: PhoneCandidate = {
        start: m.startsAt,
        end: m.endsAt,
        valid: m.number.isValid(),
        international: /^\s*(?:\+|00|011)/.test(raw),
        digits: raw.replace(/\D/g, ''),
      };
      const seen = found.get(key);
      if (!seen || (candidate.valid && !seen.valid)) found.set(key, candidate);
    }
  }
  return [...found.values()].sort((a, b) => a.start - b.start || b.end - a.end);
}

/** A phone word shortly before a number: "phone", "call me on", "my number", "手机", "电话"… ("number" alone is not one). */
export const PHONE_CUE =
  /\b(?:phone|telephone|mobile|cell(?:phone)?|landline|contact(?:\s+number)?|call(?:\s+me|\s+us|\s+back)?|ring|reach\s+me|text(?:\s+me)?|fax|whatsapp|tel|(?:my|your|his|her|our|best|callback|home|work|daytime|direct)\s+number)\b|手机|电话|號碼|号码|联系|聯繫|来电|打给|致电|座机|微信|手機|電話/i;
/** Identifiers that are not phone numbers, when named shortly before the digits. */
export const NOT_A_PHONE_CUE =
  /\b(?:order|case|ticket|ref(?:erence)?|invoice|tracking|confirmation|policy|claim|member(?:ship)?|booking|reservation|serial|model|transaction|receipt|parcel|shipment|po|sku|id|account|acct|routing|card|amount|balance|total|price|paid|pay|cost|zip|postal|code|room|flight|version|order\s+number)\b(?:\s+(?:number|no\.?|#|id))?[\s:#.]*(?:is|was|of)?[\s:#]*$|订单|单号|工单|编号|案件|快递|运单|保单|会员|卡号|账号|帳號|账户|金额|余额|流水|合同|发票|邮编|型号|序列号|验证码|订單|編號|客服|热线|熱線|\b(?:hotline|toll[\s-]free)\b[^\d]*$/i;

// Shapes that are phone numbers whatever libphonenumber says (it skips numbers with an unassigned area code, and two
// numbers read out back to back): NANP 3-3-4 with separators or brackets, optionally after +1, 1 or 001 and with an
// extension;
// a Chinese mobile number (1[3-9]x xxxx xxxx).
const PHONE_SHAPES = [
  /(?<![\dA-Za-z+])(?:(?:\+|00|011)?1[ .-]?|001[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?(?![\dA-Za-z]|[.-]\d)/gi,
  /(?<![\dA-Za-z+])1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\dA-Za-z])/g,
];

/** Phone-shaped spans of the text (see PHONE_SHAPES). */
export function phoneShapes(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const shape of PHONE_SHAPES) for (const m of text.matchAll(shape)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}
