import { InvalidObjectKeyError } from './invalid-object-key.error.js';
import { assertValidObjectKey, assertValidRange, MAX_OBJECT_KEY_BYTES } from './object-key.js';

describe('assertValidObjectKey', () => {
  it.each([
    'a',
    'recordings/2024/06/call-123/audio.wav',
    'clips/..hidden/x', // dots inside a segment are fine
    'a/...',
    'appel été/☎.wav',
    'x'.repeat(255),
    `${'a'.repeat(200)}/`.repeat(4) + 'b'.repeat(MAX_OBJECT_KEY_BYTES - 804),
  ])('accepts %j', (key) => {
    expect(assertValidObjectKey(key)).toBe(key);
  });

  it.each<[string, string, string]>([
    ['empty', '', 'empty'],
    ['parent segment', '../x', "'..' path segment"],
    ['inner parent segment', 'a/../../x', "'..' path segment"],
    ['bare parent', '..', "'..' path segment"],
    ['dot segment', 'a/./b', "'.' path segment"],
    ['absolute path', '/etc/passwd', 'absolute path'],
    ['backslash', 'a\\b', 'contains a backslash'],
    ['NUL', 'a\0b', 'contains NUL'],
    ['newline', 'a\nb', 'contains a control character'],
    ['DEL', 'a\u007fb', 'contains a control character'],
    ['empty segment', 'a//b', 'empty path segment'],
    ['trailing slash', 'a/', 'empty path segment'],
    ['over-long key', 'k'.repeat(MAX_OBJECT_KEY_BYTES + 1), 'longer than 1024 bytes'],
    ['over-long in UTF-8 bytes', 'é'.repeat(513), 'longer than 1024 bytes'],
    ['over-long segment', `a/${'s'.repeat(256)}`, 'path segment longer than 255 bytes'],
  ])('rejects %s', (_label, key, reason) => {
    let thrown: unknown;
    try {
      assertValidObjectKey(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidObjectKeyError);
    expect(thrown).toMatchObject({ name: 'InvalidObjectKeyError', key, reason });
  });
});

describe('assertValidRange', () => {
  it.each<[number, number]>([
    [0, 0],
    [5, 100],
  ])('accepts %d-%d', (start, end) => {
    expect(() => assertValidRange(start, end)).not.toThrow();
  });

  it.each<[number, number]>([
    [-1, 3],
    [4, 3],
    [0.5, 3],
    [0, Number.NaN],
    [0, Number.POSITIVE_INFINITY],
  ])('rejects %d-%d', (start, end) => {
    expect(() => assertValidRange(start, end)).toThrow(RangeError);
  });
});
