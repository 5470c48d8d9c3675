export type RedactionKind = 'card' | 'national_id';

export interface RedactionResult {
  text: string;
  counts: Record<RedactionKind, number>;
}

// 13-19 digits, optionally grouped by single spaces or dashes ("4111 1111 1111 1111", "4111-1111-1111-1111").
const CARD_CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
// Chinese resident identity number (18, last may be X) and US SSN (ddd-dd-dddd).
const CN_ID = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const US_SSN = /(?<!\d)(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?!\d)/g;

/** Whether a digit string passes the Luhn check (payment card numbers do; most other long numbers do not). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = '10X98765432';

/** Whether an 18-character Chinese resident id has a valid ISO 7064 check character. */
export function chineseIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (CN_WEIGHTS[i] as number);
  return CN_CHECK[sum % 11] === id[17]?.toUpperCase();
}

/**
 * Replaces card numbers (Luhn-valid) with [CARD] and national ids (Chinese resident id with a valid check
 * character, US SSN) with [NATIONAL_ID], before text leaves for an LLM. Other numbers are left alone.
 */
export function redactText(text: string): RedactionResult {
  const counts: Record<RedactionKind, number> = { card: 0, national_id: 0 };
  let out = text.replace(CN_ID, (match) => {
    if (!chineseIdValid(match)) return match;
    counts.national_id++;
    return '[NATIONAL_ID]';
  });
  out = out.replace(CARD_CANDIDATE, (match) => {
    if (!luhnValid(match.replace(/[ -]/g, ''))) return match;
    counts.card++;
    return '[CARD]';
  });
  out = out.replace(US_SSN, () => {
    counts.national_id++;
    return '[NATIONAL_ID]';
  });
  return { text: out, counts };
}
