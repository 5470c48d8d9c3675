import { createHash, createHmac } from 'node:crypto';
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

/** 1: sha256 of the content (entries written before the chain was keyed, or without a key); 2: HMAC-SHA256 under AUDIT_CHAIN_KEY */
export type AuditHashVersion = 1 | 2;

export interface ChainedAuditEntry extends AuditEntryContent {
  id: bigint;
  prevHash: string;
  hash: string;
  /** absent: 1 */
  hashVersion?: number;
}

export interface ChainBreak {
  firstBrokenId: bigint;
  reason: string;
}

/**
 * The entry's hash (hex) over the previous entry's hash and the canonical JSON of this entry's content: keyed
 * (version 2, HMAC-SHA256 under the chain key, so whoever lacks the key cannot re-hash a rewritten chain) or, without a
 * key, sha256 (version 1).
 */
export function hashAuditEntry(prevHash: string, content: AuditEntryContent, key?: string): string {
  const canonical = canonicalJson({
    prevHash,
    at: content.at.toISOString(),
    actor: content.actor,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    details: content.details,
  });
  if (key === undefined) return createHash('sha256').update(canonical, 'utf8').digest('hex');
  return createHmac('sha256', key).update(`earshot-audit-v2\n${canonical}`, 'utf8').digest('hex');
}

/** The version an entry appended now gets. */
export function auditHashVersion(key: string | undefined): AuditHashVersion {
  return key === undefined ? 1 : 2;
}

/** Checks a chain fed in id order, one entry at a time, and stops at the first entry that breaks it. */
export class AuditChainVerifier {
  private expectedPrevHash = GENESIS_HASH;
  private checked = 0;
  private broken: ChainBreak | null = null;
  private keyedSeen = false;

  /** key: AUDIT_CHAIN_KEY, needed for keyed (version 2) entries */
  constructor(private readonly key?: string) {}

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
    } else if ((entry.hashVersion ?? 1) !== 1 && entry.hashVersion !== 2) {
      this.broken = { firstBrokenId: entry.id, reason: `unknown hash version ${entry.hashVersion}` };
    } else if (entry.hashVersion === 2 && this.key === undefined) {
      this.broken = { firstBrokenId: entry.id, reason: 'the entry is keyed: AUDIT_CHAIN_KEY is needed to verify it' };
    } else if (entry.hashVersion !== 2 && this.keyedSeen) {
      // once keyed, a chain stays keyed: an unkeyed entry after a keyed one was written by someone without the key
      this.broken = { firstBrokenId: entry.id, reason: 'an unkeyed entry after keyed ones (the entry was rewritten without AUDIT_CHAIN_KEY)' };
    } else {
      let recomputed: string;
      try {
        recomputed = hashAuditEntry(entry.prevHash, entry, entry.hashVersion === 2 ? this.key : undefined);
      } catch (error) {
        recomputed = `unhashable: ${(error as Error).message}`;
      }
      if (recomputed !== entry.hash) {
        this.broken = { firstBrokenId: entry.id, reason: 'its content does not match its hash (the entry was altered)' };
      }
    }
    if (entry.hashVersion === 2) this.keyedSeen = true;
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
