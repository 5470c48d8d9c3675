import { RE2JS, RE2JSException } from 're2js';

/**
 * Which regex engine a pack's patterns run on.
 * - `linear`: RE2 semantics (re2js, pure JS): time linear in the input, whatever the pattern. Lookaround and
 *   backreferences are refused at validation. Every pattern that arrives through the API runs here.
 * - `native`: V8's backtracking RegExp, for packs that ship with the code or that an operator deploys as files
 *   (they use lookbehind, and they are reviewed like code).
 */
export type PatternEngine = 'linear' | 'native';

/** A compiled pattern: reports each non-empty match of `hay` as [start, end) in UTF-16 units, left to right. */
export interface PatternMatcher {
  forEachMatch(hay: string, onMatch: (start: number, end: number) => void): void;
}

/** A pattern the chosen engine refuses; `reason` is fit for a 400 naming the field. */
export class UnsafePatternError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsafePatternError';
  }
}

/** Longest pattern source accepted from an untrusted pack (the shipped packs' longest is under 500). */
export const MAX_LINEAR_PATTERN_LENGTH = 2000;
/** Largest compiled RE2 program accepted: bounds the per-character cost of a match (RE2 is O(program × input)). */
export const MAX_LINEAR_PROGRAM_SIZE = 20_000;

const LINEAR_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/** Compiles `source` for `engine`; throws UnsafePatternError (linear) or SyntaxError (native) when it cannot. */
export function compilePattern(source: string, flags: string | undefined, engine: PatternEngine): PatternMatcher {
  return engine === 'native' ? nativeMatcher(new RegExp(source, `${flags ?? ''}g`)) : linearMatcher(source, flags ?? '');
}

function nativeMatcher(regex: RegExp): PatternMatcher {
  return {
    forEachMatch(hay, onMatch) {
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(hay)) !== null) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        onMatch(m.index, m.index + m[0].length);
      }
    },
  };
}

function linearMatcher(source: string, flags: string): PatternMatcher {
  if (source.length > MAX_LINEAR_PATTERN_LENGTH) {
    throw new UnsafePatternError(`pattern longer than ${MAX_LINEAR_PATTERN_LENGTH} characters`);
  }
  let bits = 0;
  for (const f of flags) bits |= LINEAR_FLAGS[f] ?? 0;
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    throw new UnsafePatternError(
      `${error.message}; API patterns run on a linear-time engine (RE2 syntax): lookahead, lookbehind and backreferences are not supported`,
    );
  }
  if (re.programSize() > MAX_LINEAR_PROGRAM_SIZE) {
    throw new UnsafePatternError(`pattern too complex (compiled size ${re.programSize()} > ${MAX_LINEAR_PROGRAM_SIZE})`);
  }
  return {
    forEachMatch(hay, onMatch) {
      const m = re.matcher(hay);
      let from = 0;
      while (from <= hay.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        if (end > start) onMatch(start, end);
        from = end > start ? end : end + 1;
      }
    },
  };
}
