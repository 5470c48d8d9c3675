import { Inject, Injectable } from '@nestjs/common';
import { type AuditEntryContent, AuditChainVerifier, GENESIS_HASH, auditHashVersion, hashAuditEntry, type JsonValue } from '#libs/audit';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';

export interface NewAuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, JsonValue>;
}

export interface AuditEntryRecord extends AuditEntryContent {
  /** the BigInt id as a decimal string (JSON has no 64-bit integers) */
  id: string;
  prevHash: string;
  hash: string;
  /** 1: sha256; 2: HMAC-SHA256 under AUDIT_CHAIN_KEY */
  hashVersion: number;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  /** an action or an action prefix: `opt_out.` matches every opt-out action */
  action?: string;
  /** entries about the call itself, or naming it in their details (findings, reviews, evidence) */
  callId?: string;
  /** entries whose details name this phone number (opt-out additions and removals) */
  phone?: string;
  from?: Date;
  to?: Date;
}

export type AuditVerification = { ok: true; entries: number } | { ok: false; firstBrokenId: string; reason: string; entriesChecked: number };

export type AuditTransaction = Prisma.TransactionClient;

const VERIFY_BATCH = 1000;

/**
 * The append-only, hash-chained audit log. Appends are serialised so the chain never forks. With AUDIT_CHAIN_KEY each
 * entry's hash is keyed (HMAC), so rewriting an entry and re-hashing the rest needs the key; entries hashed before it
 * was set still verify by their version.
 */
@Injectable()
export class AuditRepository {
  private readonly key: string | undefined;

  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = config.audit.chainKey;
  }

  async append(entry: NewAuditEntry): Promise<AuditEntryRecord> {
    return this.prisma.client.$transaction((tx) => this.appendWithin(tx, entry), { timeout: 15_000, maxWait: 15_000 });
  }

  /**
   * Appends inside the caller's transaction, so an action and its audit entry commit together. The advisory
   * lock is held until that transaction ends: the next appender reads this entry's hash, never a stale one.
   */
  async appendWithin(tx: AuditTransaction, entry: NewAuditEntry): Promise<AuditEntryRecord> {
    // Any fixed key works, as long as every writer of the chain uses the same one.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(4541554401)`;
    const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
    const prevHash = last?.hash ?? GENESIS_HASH;
    const content = {
      at: new Date(),
      actor: entry.actor,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      details: entry.details ?? null,
    };
    const hash = hashAuditEntry(prevHash, content, this.key);
    const row = await tx.auditEvent.create({
      data: { ...content, details: (content.details ?? undefined) as InputJsonValue | undefined, prevHash, hash, hashVersion: auditHashVersion(this.key) },
    });
    return toRecord(row);
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(filter: AuditFilter, limit: number, before?: bigint): Promise<AuditEntryRecord[]> {
    const rows = await this.prisma.client.auditEvent.findMany({
      where: {
        ...(filter.entityType ? { entityType: filter.entityType } : {}),
        ...(filter.entityId ? { entityId: filter.entityId } : {}),
        ...(filter.actor ? { actor: filter.actor } : {}),
        ...(filter.action ? { action: filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action } : {}),
        ...(filter.callId
          ? { OR: [{ entityType: 'call', entityId: filter.callId }, { details: { path: ['callId'], equals: filter.callId } }] }
          : {}),
        ...(filter.phone ? { details: { path: ['phone'], equals: filter.phone } } : {}),
        ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
        ...(before !== undefined ? { id: { lt: before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map(toRecord);
  }

  /** The newest entry's id and hash (the chain's head), or null for an empty chain. */
  async head(): Promise<{ id: bigint; hash: string } | null> {
    return this.prisma.client.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
  }

  /** One entry's hash, or null when there is no entry with this id. */
  async hashOf(id: bigint): Promise<{ hash: string } | null> {
    return this.prisma.client.auditEvent.findUnique({ where: { id }, select: { hash: true } });
  }

  /** Walks the whole chain in id order and names the first entry that breaks it. */
  async verify(): Promise<AuditVerification> {
    const verifier = new AuditChainVerifier(this.key);
    let after = -1n;
    for (;;) {
      const rows = await this.prisma.client.auditEvent.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: VERIFY_BATCH });
      for (const row of rows) {
        const broken = verifier.push({ ...row, details: (row.details ?? null) as JsonValue | null });
        if (broken) {
          return { ok: false, firstBrokenId: broken.firstBrokenId.toString(), reason: broken.reason, entriesChecked: verifier.entriesChecked };
        }
      }
      const last = rows.at(-1);
      if (!last || rows.length < VERIFY_BATCH) break;
      after = last.id;
    }
    return { ok: true, entries: verifier.entriesChecked };
  }
}

function toRecord(row: {
  id: bigint;
  at: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
  prevHash: string;
  hash: string;
  hashVersion: number;
}): AuditEntryRecord {
  return { ...row, id: row.id.toString(), details: (row.details ?? null) as JsonValue | null };
}
