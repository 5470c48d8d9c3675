import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical-json.js';

/** prevHash of the first entry of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry says; everything here is covered by its hash. */
export interface AuditEntryContent {
  at: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: JsonValue | null;
}

export interface ChainedAuditEntry extends AuditEntryContent {
  id: bigint;
  prevHash: string;
  hash: string;
}

export interface ChainBreak {
  firstBrokenId: bigint;
  reason: string;
}

/** sha256 (hex) of the previous entry's hash and the canonical JSON of this entry's content. */
export function hashAuditEntry(prevHash: string, content: AuditEntryContent): string {
  const canonical = canonicalJson({
    prevHash,
    at: content.at.toISOString(),
    actor: content.actor,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    details: content.details,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Checks a chain fed in id order, one entry at a time, and stops at the first entry that breaks it. */
export class AuditChainVerifier {
  private expectedPrevHash = GENESIS_HASH;
  private checked = 0;
  private broken: ChainBreak | null = null;

  /** The break this entry reveals, or null while the chain holds. After a break, later entries are ignored. */
  push(entry: ChainedAuditEntry): ChainBreak | null {
    if (this.broken) return this.broken;
    if (entry.prevHash !== this.expectedPrevHash) {
      this.broken = {
        firstBrokenId: entry.id,
        reason:
          this.checked === 0
            ? 'prevHash of the first entry is not the genesis hash (entries before it were removed)'
            : 'prevHash does not match the hash of the entry before it (an entry was removed, inserted or reordered)',
      };
    } else {
      let recomputed: string;
      try {
        recomputed = hashAuditEntry(entry.prevHash, entry);
      } catch (error) {
        recomputed = `unhashable: ${(error as Error).message}`;
      }
      if (recomputed !== entry.hash) {
        this.broken = { firstBrokenId: entry.id, reason: 'its content does not match its hash (the entry was altered)' };
      }
    }
    if (this.broken) return this.broken;
    this.expectedPrevHash = entry.hash;
    this.checked += 1;
    return null;
  }

  get entriesChecked(): number {
    return this.checked;
  }

  get firstBreak(): ChainBreak | null {
    return this.broken;
  }
}
