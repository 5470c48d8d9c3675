import { hostileInputProblems } from './hostile-input.js';
import { parseApiDateTime } from './is-api-date-time.js';

describe('hostileInputProblems', () => {
  it.each([
    ['NUL in a string', { a: 'x\u0000y' }, ['body.a: must not contain NUL characters (U+0000)']],
    ['a lone high surrogate', { a: ['ok', 'x\ud800'] }, ['body.a.1: must be well-formed Unicode (it holds a lone surrogate)']],
    ['a lone low surrogate', { a: '\udc00' }, ['body.a: must be well-formed Unicode (it holds a lone surrogate)']],
    ['a number past 2^53', { n: 1e308 }, [`body.n: number out of range (at most ${Number.MAX_SAFE_INTEGER} in magnitude)`]],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}'), ['body.__proto__: reserved key, not a field of this API']],
    ['a NUL in a key', { 'a\u0000': 1 }, ['body: a key must not contain NUL characters (U+0000)']],
  ])('names the field for %s', (_name, value, expected) => {
    expect(hostileInputProblems(value, 'body')).toEqual(expected);
  });

  it('accepts ordinary values, astral characters and Chinese included', () => {
    expect(hostileInputProblems({ a: '你好 😀', n: 184.2, list: [1, true, null], nested: { b: 'ok' } }, 'body')).toEqual([]);
  });

  it('stops at absurd nesting', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(hostileInputProblems(deep, 'body')).toHaveLength(1);
  });
});

describe('parseApiDateTime', () => {
  it.each([
    ['2026-11-20T09:30:00+08:00', 'required', '2026-11-20T01:30:00.000Z'],
    ['2026-11-20T09:30:00.123Z', 'required', '2026-11-20T09:30:00.123Z'],
    ['2026-11-20', 'optional', '2026-11-20T00:00:00.000Z'],
    ['20261120T101500Z', 'optional', null],
    ['2026-11-20T10:15:00', 'required', null],
    ['2026-02-30', 'optional', null],
    ['0000-01-01', 'optional', null],
    ['+275760-09-13T00:00:00Z', 'optional', null],
    ['2026-11-20T25:00:00Z', 'optional', null],
  ] as const)('%s with offset %s -> %s', (value, offset, expected) => {
    expect(parseApiDateTime(value, { offset })?.toISOString() ?? null).toBe(expected);
  });
});
