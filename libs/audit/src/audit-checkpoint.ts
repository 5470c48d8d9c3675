import { createHmac, timingSafeEqual } from 'node:crypto';

/** The chain's head at one moment, signed with a key the database never holds, kept outside the database. */
export interface AuditCheckpoint {
  /** id of the newest entry when the checkpoint was taken (decimal string: ids are 64-bit) */
  id: string;
  hash: string;
  at: string;
  /** HMAC-SHA256 (hex) of id, hash and at under AUDIT_CHAIN_KEY */
  signature: string;
}

function signatureOf(checkpoint: Omit<AuditCheckpoint, 'signature'>, key: string): string {
  return createHmac('sha256', key).update(`earshot-audit-checkpoint\n${checkpoint.id}\n${checkpoint.hash}\n${checkpoint.at}`).digest('hex');
}

export function signCheckpoint(head: { id: bigint; hash: string }, at: Date, key: string): AuditCheckpoint {
  const unsigned = { id: head.id.toString(), hash: head.hash, at: at.toISOString() };
  return { ...unsigned, signature: signatureOf(unsigned, key) };
}

/** Whether the checkpoint was signed with this key and has not been altered since. */
export function checkpointSignatureHolds(checkpoint: AuditCheckpoint, key: string): boolean {
  const expected = Buffer.from(signatureOf(checkpoint, key), 'hex');
  const actual = Buffer.from(typeof checkpoint.signature === 'string' ? checkpoint.signature : '', 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * What the database's chain says against the last checkpoint: null when the anchored entry is still there with the
 * same hash (so nothing up to it was removed or rewritten, even with every later hash recomputed); else the problem.
 */
export function checkpointProblem(checkpoint: AuditCheckpoint, anchoredEntry: { hash: string } | null, newestId: bigint | null): string | null {
  if (anchoredEntry === null) {
    return newestId === null || newestId < BigInt(checkpoint.id)
      ? `entries up to ${checkpoint.id} (anchored at ${checkpoint.at}) are missing: the chain was truncated`
      : `entry ${checkpoint.id} (anchored at ${checkpoint.at}) is missing`;
  }
  if (anchoredEntry.hash !== checkpoint.hash) {
    return `entry ${checkpoint.id} no longer has the hash anchored at ${checkpoint.at}: entries up to it were rewritten and re-hashed`;
  }
  return null;
}
