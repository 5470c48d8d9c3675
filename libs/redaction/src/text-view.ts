/**
 * A normalised view of a text that the patterns run on, with the original range of every view character, so a match
 * in the view maps back to the text. Full-width characters become ASCII; Chinese digit characters in runs
 * (六二二二…, 幺三八…) become digits; English digit words in runs ("four one one one", "double five", "twenty one")
 * become digits, joined when only spaces separate them and grouped by one space where a comma, dash or period does.
 */
export interface TextView {
  text: string;
  /** original offset where view char i starts */
  from: number[];
  /** original offset (exclusive) where view char i ends */
  to: number[];
}

/** The original range of view range [start, end). */
export function originalRange(view: TextView, start: number, end: number): { start: number; end: number } {
  return { start: view.from[start] as number, end: view.to[end - 1] as number };
}

const CHAR_MAP: Record<string, string> = {
  '\u3000': ' ', '‐': '-', '‑': '-', '–': '-', '—': '-', '\u00a0': ' ',
};
const CJK_DIGITS: Record<string, string> = {
  零: '0', '〇': '0', 洞: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
// Four or more Chinese digits, possibly grouped by spaces, dashes or Chinese commas. A lone 一 stays: it is the most
// common character in Chinese ("一下", "一共"); so do short runs (三四个). 幺 and 洞 are only ever digits: a run
// holding one of them needs three characters.
const CJK_DIGIT_RUN = /[零〇洞一幺二三四五六七八九](?:[ \-，、,]{0,2}[零〇洞一幺二三四五六七八九]){3,}|(?=[零〇洞一幺二三四五六七八九]{0,2}[幺洞])[零〇洞一幺二三四五六七八九]{3}/g;

function charLevel(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    // full-width ASCII (！ to ～) is the ASCII character 0xfee0 below
    if (ch.length === 1 && code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else out += CHAR_MAP[ch] ?? ch;
  }
  return out;
}

const UNITS: Record<string, string> = {
  zero: '0', oh: '0', o: '0', nought: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8',
  nine: '9',
};
const TEENS: Record<string, string> = {
  ten: '10', eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17',
  eighteen: '18', nineteen: '19',
};
const TENS: Record<string, string> = { twenty: '2', thirty: '3', forty: '4', fifty: '5', sixty: '6', seventy: '7', eighty: '8', ninety: '9' };
const REPEAT: Record<string, number> = { double: 2, triple: 3 };

interface Token {
  start: number;
  end: number;
  word: string;
}

type Piece = { text: string; start: number; end: number };

/** Converts runs of spoken digit words into digits; returns the pieces of the new text with their original ranges. */
function spokenDigits(text: string): Piece[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/[A-Za-z]+|\d+/g)) tokens.push({ start: m.index, end: m.index + m[0].length, word: m[0].toLowerCase() });
  const isNumberWord = (t: Token | undefined): boolean =>
    t !== undefined && (/^\d+$/.test(t.word) || t.word in UNITS || t.word in TEENS || t.word in TENS || t.word in REPEAT || t.word === 'hundred');
  const pieces: Piece[] = [];
  let at = 0;
  let i = 0;
  while (i < tokens.length) {
    // a run: number tokens separated only by spaces, commas, dashes or periods
    let j = i;
    while (isNumberWord(tokens[j]) && (j === i || /^[\s,.-]{1,3}$/.test(text.slice((tokens[j - 1] as Token).end, (tokens[j] as Token).start)))) j++;
    const run = tokens.slice(i, j);
    const words = run.filter((t) => !/^\d+$/.test(t.word));
    // two or more number tokens, one of them a word, and not made only of "o"/"oh"/"double" (a lone "oh" is not zero)
    if (words.length >= 2 && run.some((t) => t.word in UNITS && t.word !== 'o' && t.word !== 'oh' || t.word in TEENS || t.word in TENS || /^\d+$/.test(t.word))) {
      const first = run[0] as Token;
      if (first.start > at) pieces.push({ text: text.slice(at, first.start), start: at, end: first.start });
      let k = 0;
      while (k < run.length) {
        const t = run[k] as Token;
        const next = run[k + 1];
        if (k > 0) {
          const previous = run[k - 1] as Token;
          const gap = text.slice(previous.end, t.start);
          // next to written digits the gap stays as it is; between spoken digits a pause (comma, dash, period) groups
          // them and plain spaces join them
          if (/^\d/.test(previous.word) || /^\d/.test(t.word)) pieces.push({ text: gap, start: previous.end, end: t.start });
          else if (/[,.-]/.test(gap)) pieces.push({ text: ' ', start: previous.end, end: t.start });
        }
        if (t.word in REPEAT && next && next.word in UNITS) {
          pieces.push({ text: (UNITS[next.word] as string).repeat(REPEAT[t.word] as number), start: t.start, end: next.end });
          k += 2;
          continue;
        }
        if (t.word in TENS) {
          if (next && next.word in UNITS && next.word !== 'zero' && next.word !== 'o' && next.word !== 'oh' && /^[\s-]+$/.test(text.slice(t.end, next.start))) {
            pieces.push({ text: TENS[t.word] as string, start: t.start, end: t.end });
            pieces.push({ text: UNITS[next.word] as string, start: next.start, end: next.end });
            k += 2;
            continue;
          }
          pieces.push({ text: `${TENS[t.word]}0`, start: t.start, end: t.end });
        } else if (t.word === 'hundred') {
          pieces.push({ text: '00', start: t.start, end: t.end });
        } else if (t.word in REPEAT) {
          pieces.push({ text: t.word, start: t.start, end: t.end });
        } else {
          pieces.push({ text: UNITS[t.word] ?? TEENS[t.word] ?? t.word, start: t.start, end: t.end });
        }
        k++;
      }
      at = (run.at(-1) as Token).end;
      i = j;
    } else {
      i = Math.max(j, i + 1);
    }
  }
  if (at < text.length) pieces.push({ text: text.slice(at), start: at, end: text.length });
  return pieces;
}

/** Builds the view of a text (see TextView). */
export function viewOf(text: string): TextView {
  // step 1, same length: full-width to ASCII, Chinese digit runs to digits (their separators to spaces)
  const same = charLevel(text).replace(CJK_DIGIT_RUN, (run) =>
    run.replace(/./g, (c) => CJK_DIGITS[c] ?? (/[，、,]/.test(c) ? ' ' : c)),
  );
  // step 2: spoken English digits; each piece maps to its original range
  const out: TextView = { text: '', from: [], to: [] };
  for (const piece of spokenDigits(same)) {
    const verbatim = piece.end - piece.start === piece.text.length && same.slice(piece.start, piece.end) === piece.text;
    for (let i = 0; i < piece.text.length; i++) {
      out.from.push(verbatim ? piece.start + i : piece.start);
      out.to.push(verbatim ? piece.start + i + 1 : piece.end);
    }
    out.text += piece.text;
  }
  return out;
}
