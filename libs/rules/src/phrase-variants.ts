import { normaliseText } from './text-normaliser.js';

// Normalised text drops apostrophes, so "can't" arrives as "cant"; transcripts also spell these out in full.
const CONTRACTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['dont', ['do not']],
  ['doesnt', ['does not']],
  ['didnt', ['did not']],
  ['cant', ['cannot', 'can not']],
  ['wont', ['will not']],
  ['isnt', ['is not']],
  ['arent', ['are not']],
  ['wasnt', ['was not']],
  ['werent', ['were not']],
  ['wouldnt', ['would not']],
  ['couldnt', ['could not']],
  ['shouldnt', ['should not']],
  ['havent', ['have not']],
  ['hasnt', ['has not']],
  ['aint', ['is not']],
  ['im', ['i am']],
  ['youre', ['you are']],
  ['youll', ['you will']],
  ['youve', ['you have']],
  ['youd', ['you would']],
  ['itll', ['it will']],
  ['theyll', ['they will']],
  ['thatll', ['that will']],
  ['its', ['it is']],
  ['theres', ['there is']],
  ['thats', ['that is']],
  ['ive', ['i have']],
  ['weve', ['we have']],
  ['theyre', ['they are']],
  ['well', ['we will']],
  ['gonna', ['going to']],
  ['wanna', ['want to']],
];

const MAX_VARIANTS = 24;

function replaceWord(text: string, from: string, to: string): string | null {
  const re = new RegExp(`(^| )${from}(?= |$)`, 'g');
  if (!re.test(text)) return null;
  return text.replace(re, `$1${to}`);
}

/** The normalised phrase plus its spelled-out and contracted forms ("dont call me" <-> "do not call me"). */
export function phraseVariants(phrase: string): string[] {
  const base = normaliseText(phrase);
  if (base.length === 0) return [];
  const out = new Set<string>([base]);
  for (const [short, longs] of CONTRACTIONS) {
    const forms = [short, ...longs];
    for (const v of [...out]) {
      for (const from of forms) {
        // "well" is a word of its own: only contract "we will" into it, never spell it out
        if (from === 'well') continue;
        for (const to of forms) {
          if (to === from || out.size >= MAX_VARIANTS) continue;
          const replaced = replaceWord(v, from, to);
          if (replaced) out.add(replaced);
        }
      }
    }
  }
  return [...out];
}
