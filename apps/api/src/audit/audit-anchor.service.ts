import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type AuditCheckpoint, checkpointProblem, checkpointSignatureHolds, signCheckpoint } from '#libs/audit';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AuditRepository, type AuditVerification } from '#libs/db';
import { NotFoundInStorageError, OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';

/** Where the signed head lives: object storage, which a database owner does not write (nor holds the key for). */
export const AUDIT_CHECKPOINT_KEY = 'audit/checkpoint.json';

export type AnchoredVerification = AuditVerification & {
  anchor: { checked: false; why: string } | { checked: true; id: string; at: string; problem: string | null };
};

/**
 * Anchors the audit chain outside the database: every AUDIT_ANCHOR_INTERVAL_MINUTES the newest entry's id and hash
 * are signed with AUDIT_CHAIN_KEY and written to object storage. Verify then checks the chain against the last
 * checkpoint, so deleting the newest entries or rewriting one and re-hashing the rest no longer verifies.
 */
@Injectable()
export class AuditAnchor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditAnchor.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly audit: AuditRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.audit.chainKey) return;
    this.timer = setInterval(() => {
      this.anchor().catch((error: unknown) => this.logger.error(`could not anchor the audit chain: ${(error as Error).message}`, (error as Error).stack));
    }, this.config.audit.anchorIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Signs and stores the chain's head now; null when the chain is empty or no key is configured. */
  async anchor(): Promise<AuditCheckpoint | null> {
    const key = this.config.audit.chainKey;
    if (!key) return null;
    const head = await this.audit.head();
    if (!head) return null;
    const previous = await this.read();
    // never move the anchor backwards (a truncated chain must not re-anchor itself at its new, shorter head)
    if (previous && checkpointSignatureHolds(previous, key) && BigInt(previous.id) > head.id) return previous;
    const checkpoint = signCheckpoint(head, new Date(), key);
    const body = Buffer.from(JSON.stringify(checkpoint), 'utf8');
    await this.storage.put(AUDIT_CHECKPOINT_KEY, body, { contentType: 'application/json', size: body.length });
    return checkpoint;
  }

  /** The chain's own verification, and what the last checkpoint says of it. */
  async verify(): Promise<AnchoredVerification> {
    const chain = await this.audit.verify();
    const key = this.config.audit.chainKey;
    if (!key) return { ...chain, anchor: { checked: false, why: 'AUDIT_CHAIN_KEY is not set: the chain is not anchored outside the database' } };
    const checkpoint = await this.read();
    if (!checkpoint) return { ...chain, anchor: { checked: false, why: 'no checkpoint yet' } };
    if (!checkpointSignatureHolds(checkpoint, key)) {
      return { ok: false, firstBrokenId: checkpoint.id, reason: 'the checkpoint in object storage is not signed with AUDIT_CHAIN_KEY', entriesChecked: 0, anchor: { checked: true, id: checkpoint.id, at: checkpoint.at, problem: 'bad signature' } };
    }
    const anchored = await this.audit.hashOf(BigInt(checkpoint.id));
    const problem = checkpointProblem(checkpoint, anchored, (await this.audit.head())?.id ?? null);
    const anchor = { checked: true as const, id: checkpoint.id, at: checkpoint.at, problem };
    if (problem === null) return { ...chain, anchor };
    return { ok: false, firstBrokenId: checkpoint.id, reason: problem, entriesChecked: chain.ok ? chain.entries : chain.entriesChecked, anchor };
  }

  private async read(): Promise<AuditCheckpoint | null> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.storage.get(AUDIT_CHECKPOINT_KEY)) chunks.push(chunk as Buffer);
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as AuditCheckpoint;
    } catch (error) {
      if (error instanceof NotFoundInStorageError) return null;
      throw error;
    }
  }
}
