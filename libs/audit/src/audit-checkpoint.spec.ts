import { checkpointProblem, checkpointSignatureHolds, signCheckpoint } from './audit-checkpoint.js';

const KEY = 'k'.repeat(32);
const head = { id: 41n, hash: 'a'.repeat(64) };
const checkpoint = signCheckpoint(head, new Date('2026-12-06T06:00:00Z'), KEY);

describe('audit checkpoints', () => {
  it('holds its signature under the key, not under another key or after an edit', () => {
    expect(checkpointSignatureHolds(checkpoint, KEY)).toBe(true);
    expect(checkpointSignatureHolds(checkpoint, 'x'.repeat(32))).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, id: '40' }, KEY)).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, signature: 'nothex' }, KEY)).toBe(false);
  });

  it.each([
    ['intact', { hash: head.hash }, 50n, null],
    ['truncated below the anchor', null, 30n, /missing: the chain was truncated/],
    ['emptied', null, null, /truncated/],
    ['the anchored entry removed alone', null, 60n, /entry 41 .* is missing/],
    ['rewritten and re-hashed', { hash: 'b'.repeat(64) }, 50n, /rewritten and re-hashed/],
  ] as const)('%s', (_case, anchored, newest, expected) => {
    const problem = checkpointProblem(checkpoint, anchored, newest);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
