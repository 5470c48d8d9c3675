/** Keys that reach an object's prototype when code assigns them; no field of this API is named so. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as text (PostgreSQL refuses NUL; UTF-8 cannot hold a lone surrogate), or null. */
export function unstorableText(value: string): string | null {
  if (value.includes('\0')) return 'must not contain NUL characters (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (it holds a lone surrogate)';
  return null;
}

/**
 * Problems with values no field of this API accepts, whatever its type: text PostgreSQL cannot store, numbers
 * beyond 2^53 (past exact integers, and past what any field here means), reserved keys, absurd nesting.
 * Each problem names its field under `path`.
 */
export function hostileInputProblems(value: unknown, path: string, problems: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') {
    const why = unstorableText(value);
    if (why) problems.push(`${path}: ${why}`);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      problems.push(`${path}: number out of range (at most ${Number.MAX_SAFE_INTEGER} in magnitude)`);
    }
  } else if (value !== null && typeof value === 'object') {
    if (depth >= MAX_DEPTH) {
      problems.push(`${path}: nested more than ${MAX_DEPTH} levels deep`);
      return problems;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => hostileInputProblems(item, `${path}.${i}`, problems, depth + 1));
    } else {
      for (const key of Object.keys(value)) {
        const keyPath = `${path}.${key}`;
        const why = unstorableText(key);
        if (why) problems.push(`${path}: a key ${why}`);
        else if (RESERVED_KEYS.has(key)) problems.push(`${keyPath}: reserved key, not a field of this API`);
        else hostileInputProblems((value as Record<string, unknown>)[key], keyPath, problems, depth + 1);
      }
    }
  }
  return problems;
}
