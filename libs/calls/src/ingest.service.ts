import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CallRepository, type CallRecord, DuplicateAudioError, type NewCall } from '#libs/db';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { FIRST_STAGE, JobQueues, isPipelineStage } from '#libs/queue';

export type CallMetadata = Omit<NewCall, 'audioKey' | 'audioSha256' | 'audioBytes' | 'audioContentType' | 'sidecarKey'>;

export interface IngestInput {
  metadata: CallMetadata;
  audio: { path: string; contentType: string; extension: string };
  sidecar?: { content: Buffer; contentType: string; extension: string };
}

export interface IngestResult {
  call: CallRecord;
  created: boolean;
}

/** Stores a recording and its call durably, then queues the pipeline. The same audio twice yields one call. */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly queues: JobQueues,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  /**
   * Objects are written under keys of this upload alone (content hash plus a random id), so racing uploads of the
   * same audio never read each other's transcript; until the call row commits they belong to this request, which
   * deletes them on any failure, duplicates included.
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    const sha256 = await sha256OfFile(input.audio.path);
    const existing = await this.calls.findBySha256(sha256);
    if (existing) return { call: existing, created: false };

    const { size } = await stat(input.audio.path);
    const upload = randomUUID();
    const audioKey = `recordings/${sha256.slice(0, 2)}/${sha256}/${upload}.${input.audio.extension}`;
    const sidecarKey = input.sidecar ? `transcripts/sidecar/${sha256}/${upload}.${input.sidecar.extension}` : undefined;
    const written: string[] = [];
    let call: CallRecord;
    try {
      written.push(audioKey);
      await this.storage.put(audioKey, createReadStream(input.audio.path), { contentType: input.audio.contentType, size });
      if (input.sidecar && sidecarKey) {
        written.push(sidecarKey);
        await this.storage.put(sidecarKey, input.sidecar.content, {
          contentType: input.sidecar.contentType,
          size: input.sidecar.content.length,
        });
      }
      call = await this.calls.create({
        ...input.metadata,
        audioKey,
        audioSha256: sha256,
        audioBytes: size,
        audioContentType: input.audio.contentType,
        sidecarKey,
      });
    } catch (error) {
      await this.discard(written);
      // Two uploads of the same audio raced; the other one created the call (with its own objects).
      if (error instanceof DuplicateAudioError) {
        const winner = await this.calls.findById(error.existingCallId);
        if (winner) return { call: winner, created: false };
      }
      throw error;
    }
    await this.queues.enqueue(FIRST_STAGE, call.id, { transcriptSupplied: sidecarKey !== undefined, newCall: true });
    this.logger.log(`ingested callId=${call.id} sha256=${sha256} bytes=${size}`);
    return { call, created: true };
  }

  /** Best effort: a failed delete is logged, and the request's own error still reaches the caller. */
  private async discard(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        await this.storage.delete(key);
      } catch (error) {
        this.logger.error(`could not delete object ${key} of a failed upload`, (error as Error).stack);
      }
    }
  }

  /** Puts a call back at the start of the pipeline (after a fix, a new rule pack, a new transcript). */
  async rerun(callId: string, options: { transcriptSupplied: boolean }): Promise<void> {
    await this.calls.markRequeued(callId);
    await this.queues.enqueue(FIRST_STAGE, callId, options);
  }

  /**
   * Re-queues the current stage of calls that are processing but whose stage has no job on its queue any more (Redis
   * lost its data: restarted without persistence, or the last second before a crash). Stages are idempotent and the
   * job id is deterministic, so a second reconciler or a job that reappears duplicates nothing.
   */
  async reconcileProcessing(olderThanMs: number): Promise<number> {
    const calls = await this.calls.listProcessingBefore(new Date(Date.now() - olderThanMs), 1000);
    let requeued = 0;
    for (const call of calls) {
      const stage = call.currentStage && isPipelineStage(call.currentStage) ? call.currentStage : FIRST_STAGE;
      if (await this.queues.hasLiveJob(stage, call.id)) continue;
      await this.queues.enqueue(stage, call.id, { transcriptSupplied: call.sidecarKey !== null });
      requeued++;
    }
    return requeued;
  }

  /** Re-queues calls whose first job never reached Redis (the API died between commit and enqueue). */
  async requeueStranded(olderThanMs: number): Promise<number> {
    const ids = await this.calls.listQueuedBefore(new Date(Date.now() - olderThanMs), 1000);
    for (const id of ids) await this.queues.enqueue(FIRST_STAGE, id);
    return ids.length;
  }
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
