import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { PrismaService } from '../prisma.service.js';
import { AuditRepository } from './audit.repository.js';

/** A call whose recording may be due for deletion, as retention decides on it. */
export interface RetentionCandidate {
  callId: string;
  startedAt: Date;
  /** the campaign's retention; null keeps the recording forever */
  retentionDays: number | null;
  audioDeletedAt: Date | null;
  legalHold: boolean;
}

export interface RecordingFinding {
  id: string;
  clipKey: string | null;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
}

/** A call's stored media, read under the call's row lock. */
export interface LockedRecording extends RetentionCandidate {
  audioKey: string;
  redactedAudioKey: string | null;
  /** the transcript file uploaded with the recording (unredacted), if any */
  sidecarKey: string | null;
  findings: RecordingFinding[];
}

/** What the deletion did, for the repository to record: clips to forget and the audit entry. */
export interface RecordingDeletion {
  /** findings whose clip object was deleted: their clipKey becomes null */
  clearedClipFindingIds: string[];
  actor: string;
  details: Record<string, JsonValue>;
}

export interface LegalHoldState {
  callId: string;
  legalHold: boolean;
  reason: string | null;
  placedBy: string | null;
  placedAt: Date | null;
  /** when retention deleted the recording; null while it is stored */
  recordingDeletedAt: Date | null;
}

/** A stored recording and when retention will delete it. */
export interface RetentionScheduleEntry {
  callId: string;
  externalId: string | null;
  campaign: string | null;
  startedAt: Date;
  retentionDays: number | null;
  legalHold: boolean;
  legalHoldReason: string | null;
}

const HOLD_SELECT = { id: true, legalHold: true, legalHoldReason: true, legalHoldBy: true, legalHoldAt: true, audioDeletedAt: true } as const;

/** Recording retention per campaign, and legal holds that exempt a call from it. */
@Injectable()
export class RetentionRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * Calls whose recording is still stored and that started before their campaign's cutoff (`cutoffOf(retentionDays)`),
   * held ones included; id order, `after` is the last id of the previous page.
   */
  async listPastRetention(cutoffOf: (retentionDays: number) => Date, limit: number, after?: string): Promise<RetentionCandidate[]> {
    const campaigns = await this.prisma.client.campaign.findMany({
      where: { retentionDays: { not: null } },
      select: { id: true, retentionDays: true },
    });
    if (campaigns.length === 0) return [];
    const rows = await this.prisma.client.call.findMany({
      where: {
        audioDeletedAt: null,
        OR: campaigns.map((campaign) => ({ campaignId: campaign.id, startedAt: { lt: cutoffOf(campaign.retentionDays ?? 0) } })),
        ...(after ? { id: { gt: after } } : {}),
      },
      select: { id: true, startedAt: true, audioDeletedAt: true, legalHold: true, campaign: { select: { retentionDays: true } } },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((row) => ({
      callId: row.id,
      startedAt: row.startedAt,
      retentionDays: row.campaign?.retentionDays ?? null,
      audioDeletedAt: row.audioDeletedAt,
      legalHold: row.legalHold,
    }));
  }

  /**
   * Calls whose recording is still stored, oldest call first (the first to be deleted), optionally of one campaign
   * (external id); keyset-paginated by (startedAt, id).
   */
  async schedule(filter: { campaignExternalId?: string }, limit: number, after?: { startedAt: Date; id: string }): Promise<RetentionScheduleEntry[]> {
    const rows = await this.prisma.client.call.findMany({
      where: {
        audioDeletedAt: null,
        ...(filter.campaignExternalId ? { campaign: { externalId: filter.campaignExternalId } } : {}),
        ...(after ? { OR: [{ startedAt: { gt: after.startedAt } }, { startedAt: after.startedAt, id: { gt: after.id } }] } : {}),
      },
      select: { id: true, externalId: true, startedAt: true, legalHold: true, legalHoldReason: true, campaign: { select: { externalId: true, retentionDays: true } } },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map((row) => ({
      callId: row.id,
      externalId: row.externalId,
      campaign: row.campaign?.externalId ?? null,
      startedAt: row.startedAt,
      retentionDays: row.campaign?.retentionDays ?? null,
      legalHold: row.legalHold,
      legalHoldReason: row.legalHoldReason,
    }));
  }

  /**
   * Locks the call and its findings, hands their current state to `work` (which decides, and deletes the objects)
   * and, unless it returns null, records the deletion: clip keys cleared, audioDeletedAt set, audited — all in one
   * transaction. A legal hold or a review waits for it; if `work` throws nothing is recorded and a re-run repeats it.
   * False when there is no such call or `work` declined.
   */
  async deleteRecording(callId: string, now: Date, work: (recording: LockedRecording) => Promise<RecordingDeletion | null>): Promise<boolean> {
    return this.prisma.client.$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text AS "id" FROM "Call" WHERE "id" = ${callId}::uuid FOR UPDATE`;
        if (locked.length === 0) return false;
        await tx.$queryRaw`SELECT "id" FROM "Finding" WHERE "callId" = ${callId}::uuid ORDER BY "id" FOR UPDATE`;
        const call = await tx.call.findUniqueOrThrow({
          where: { id: callId },
          select: {
            id: true,
            startedAt: true,
            audioKey: true,
            redactedAudioKey: true,
            sidecarKey: true,
            audioDeletedAt: true,
            legalHold: true,
            campaign: { select: { retentionDays: true } },
            findings: { select: { id: true, clipKey: true, reviewState: true }, orderBy: { id: 'asc' } },
          },
        });
        const deletion = await work({
          callId: call.id,
          startedAt: call.startedAt,
          retentionDays: call.campaign?.retentionDays ?? null,
          audioDeletedAt: call.audioDeletedAt,
          legalHold: call.legalHold,
          audioKey: call.audioKey,
          redactedAudioKey: call.redactedAudioKey,
          sidecarKey: call.sidecarKey,
          findings: call.findings,
        });
        if (!deletion) return false;
        if (deletion.clearedClipFindingIds.length > 0) {
          await tx.finding.updateMany({ where: { callId, id: { in: deletion.clearedClipFindingIds } }, data: { clipKey: null } });
        }
        await tx.call.update({ where: { id: callId }, data: { audioDeletedAt: now } });
        await this.audit.appendWithin(tx, {
          actor: deletion.actor,
          action: 'recording.deleted',
          entityType: 'call',
          entityId: callId,
          details: deletion.details,
        });
        return true;
      },
      // object deletions run inside: allow for a slow object store
      { timeout: 120_000, maxWait: 15_000 },
    );
  }

  async legalHold(callId: string): Promise<LegalHoldState | null> {
    const row = await this.prisma.client.call.findUnique({ where: { id: callId }, select: HOLD_SELECT });
    return row ? toHoldState(row) : null;
  }

  /** Places (or re-places with a new reason) the call's legal hold, audited; null when there is no such call. */
  async placeLegalHold(callId: string, reason: string, actor: string): Promise<LegalHoldState | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ legalHold: boolean; legalHoldReason: string | null }[]>`
        SELECT "legalHold", "legalHoldReason" FROM "Call" WHERE "id" = ${callId}::uuid FOR UPDATE`;
      const previous = locked[0];
      if (!previous) return null;
      const row = await tx.call.update({
        where: { id: callId },
        data: { legalHold: true, legalHoldReason: reason, legalHoldBy: actor, legalHoldAt: new Date() },
        select: HOLD_SELECT,
      });
      await this.audit.appendWithin(tx, {
        actor,
        action: 'call.legal_hold.placed',
        entityType: 'call',
        entityId: callId,
        details: { reason, ...(previous.legalHold ? { previousReason: previous.legalHoldReason } : {}) },
      });
      return toHoldState(row);
    });
  }

  /** Releases the call's legal hold (audited when there was one); null when there is no such call. */
  async releaseLegalHold(callId: string, actor: string): Promise<LegalHoldState | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ legalHold: boolean; legalHoldReason: string | null; legalHoldBy: string | null }[]>`
        SELECT "legalHold", "legalHoldReason", "legalHoldBy" FROM "Call" WHERE "id" = ${callId}::uuid FOR UPDATE`;
      const previous = locked[0];
      if (!previous) return null;
      const row = await tx.call.update({
        where: { id: callId },
        data: { legalHold: false, legalHoldReason: null, legalHoldBy: null, legalHoldAt: null },
        select: HOLD_SELECT,
      });
      if (previous.legalHold) {
        await this.audit.appendWithin(tx, {
          actor,
          action: 'call.legal_hold.released',
          entityType: 'call',
          entityId: callId,
          details: { reason: previous.legalHoldReason, placedBy: previous.legalHoldBy },
        });
      }
      return toHoldState(row);
    });
  }
}

function toHoldState(row: {
  id: string;
  legalHold: boolean;
  legalHoldReason: string | null;
  legalHoldBy: string | null;
  legalHoldAt: Date | null;
  audioDeletedAt: Date | null;
}): LegalHoldState {
  return {
    callId: row.id,
    legalHold: row.legalHold,
    reason: row.legalHoldReason,
    placedBy: row.legalHoldBy,
    placedAt: row.legalHoldAt,
    recordingDeletedAt: row.audioDeletedAt,
  };
}
