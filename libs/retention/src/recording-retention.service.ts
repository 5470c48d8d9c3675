import { Inject, Injectable, Logger } from '@nestjs/common';
import { type LockedRecording, type RecordingDeletion, RetentionRepository } from '#libs/db';
import { importedTranscriptKey, waveformKey } from '#libs/domain';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { type RetentionVerdict, planRecordingDeletion, retentionCutoff, retentionVerdict, selectForDeletion } from './retention-policy.js';

/** The audit actor of every deletion retention makes, scheduled or asked for. */
export const RETENTION_ACTOR = 'system:retention';

const PAGE_SIZE = 200;

export interface RetentionSweepResult {
  /** calls whose recording this sweep deleted */
  deletedCalls: string[];
  /** calls past retention kept because of a legal hold */
  heldCalls: number;
  /** calls whose deletion failed (logged); the next sweep tries again */
  failedCalls: string[];
}

/**
 * Deletes recordings past their campaign's retention: the recording, its redacted copy, the clips of findings not
 * confirmed and the transcript files uploaded or imported with it; findings, confirmed clips, the transcript as stored
 * in the database and the audit log stay. Calls on legal hold are skipped.
 */
@Injectable()
export class RecordingRetentionService {
  private readonly logger = new Logger(RecordingRetentionService.name);

  constructor(
    private readonly retention: RetentionRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  /** One pass over every call past retention. Idempotent, safe to run concurrently and to re-run after a crash. */
  async sweep(options: { now?: Date; requestedBy?: string } = {}): Promise<RetentionSweepResult> {
    const now = options.now ?? new Date();
    const result: RetentionSweepResult = { deletedCalls: [], heldCalls: 0, failedCalls: [] };
    let after: string | undefined;
    for (;;) {
      const page = await this.retention.listPastRetention((days) => retentionCutoff(now, days), PAGE_SIZE, after);
      const { toDelete, held } = selectForDeletion(page, now);
      result.heldCalls += held.length;
      for (const callId of toDelete) {
        try {
          const outcome = await this.deleteRecording(callId, now, options.requestedBy);
          if (outcome === 'delete') result.deletedCalls.push(callId);
          else if (outcome === 'held') result.heldCalls += 1;
        } catch (error) {
          result.failedCalls.push(callId);
          this.logger.error(`callId=${callId} retention: deleting the recording failed: ${(error as Error).message}`, (error as Error).stack);
        }
      }
      const last = page.at(-1);
      if (!last || page.length < PAGE_SIZE) break;
      after = last.callId;
    }
    if (result.deletedCalls.length > 0 || result.failedCalls.length > 0) {
      this.logger.log(
        `retention sweep: ${result.deletedCalls.length} recording(s) deleted, ${result.heldCalls} on legal hold, ${result.failedCalls.length} failed`,
      );
    }
    return result;
  }

  /** Re-decides under the call's lock (a hold placed since the listing wins), deletes the objects, records it. */
  private async deleteRecording(callId: string, now: Date, requestedBy: string | undefined): Promise<RetentionVerdict> {
    let verdict: RetentionVerdict = 'keep';
    await this.retention.deleteRecording(callId, now, async (recording: LockedRecording): Promise<RecordingDeletion | null> => {
      verdict = retentionVerdict(recording, now);
      if (verdict !== 'delete') return null;
      const plan = planRecordingDeletion(recording);
      // the recordings' waveforms go with them, and the transcript files as uploaded or imported (unredacted; the
      // stored transcript, redacted for readers, stays in the database)
      const transcriptFiles = [...(recording.sidecarKey ? [recording.sidecarKey] : []), importedTranscriptKey(callId)];
      const deletedKeys = [...plan.recordingKeys, ...plan.recordingKeys.map(waveformKey), ...plan.clipsToDelete.map((clip) => clip.clipKey), ...transcriptFiles];
      // delete resolves for a missing object, so a re-run after a crash part-way through goes through
      for (const key of deletedKeys) await this.storage.delete(key);
      return {
        clearedClipFindingIds: plan.clipsToDelete.map((clip) => clip.findingId),
        actor: RETENTION_ACTOR,
        details: {
          retentionDays: recording.retentionDays,
          startedAt: recording.startedAt.toISOString(),
          deletedKeys,
          clipsKept: plan.clipsKept.map((clip) => ({ findingId: clip.findingId, clipKey: clip.clipKey })),
          ...(requestedBy ? { requestedBy } : {}),
        },
      };
    });
    return verdict;
  }
}
