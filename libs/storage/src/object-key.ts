import { InvalidObjectKeyError } from './invalid-object-key.error.js';

/** S3's own limit; local folders get the same so keys move between backends. */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** File-name limit of common file systems, applied to S3 too for the same reason. */
export const MAX_OBJECT_KEY_SEGMENT_BYTES = 255;

/** Returns the key when it is a safe relative path of '/'-separated segments; else throws InvalidObjectKeyError. */
export function assertValidObjectKey(key: string): string {
  const reason = invalidKeyReason(key);
  if (reason !== null) throw new InvalidObjectKeyError(key, reason);
  return key;
}

function invalidKeyReason(key: unknown): string | null {
  if (typeof key !== 'string') return 'not a string';
  if (key.length === 0) return 'empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_OBJECT_KEY_BYTES) return `longer than ${MAX_OBJECT_KEY_BYTES} bytes`;
  if (key.includes('\0')) return 'contains NUL';
  if (hasControlCharacter(key)) return 'contains a control character';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.startsWith('/')) return 'absolute path';
  for (const segment of key.split('/')) {
    if (segment === '') return 'empty path segment';
    if (segment === '.' || segment === '..') return `'${segment}' path segment`;
    if (Buffer.byteLength(segment, 'utf8') > MAX_OBJECT_KEY_SEGMENT_BYTES) {
      return `path segment longer than ${MAX_OBJECT_KEY_SEGMENT_BYTES} bytes`;
    }
  }
  return null;
}

/** Validates a byte range request; throws RangeError for negative, fractional or reversed bounds. */
export function assertValidRange(start: number, endInclusive: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start) {
    throw new RangeError(`Invalid byte range ${start}-${endInclusive}`);
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
