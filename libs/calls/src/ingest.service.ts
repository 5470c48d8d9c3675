import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CallRepository, type CallRecord, DuplicateAudioError, type NewCall } from '#libs/db';
import { OBJECT_STORAGE, type ObjectStorage, readObject } from '#libs/storage';
import { FIRST_STAGE, JobQueues, type PipelineStage, STAGES, isPipelineStage } from '#libs/queue';
import { CallInPipelineError, StageInputsMissingError } from './call-in-pipeline.error.js';
import { importedTranscriptKey } from './imported-transcript-key.js';
import { RecordingDeletedError } from './recording-deleted.error.js';

export type CallMetadata = Omit<NewCall, 'audioKey' | 'audioSha256' | 'audioBytes' | 'audioContentType' | 'sidecarKey'>;

export interface IngestInput {
  metadata: CallMetadata;
  /** the recording in memory or in a file; its sha256 when the upload computed it on arrival */
  audio: ({ content: Buffer } | { path: string }) & { sha256?: string; contentType: string; extension: string };
  sidecar?: { content: Buffer; contentType: string; extension: string };
}

/** Stages that read the recording itself (the clip stage skips a deleted one). */
const STAGES_NEEDING_RECORDING: ReadonlySet<PipelineStage> = new Set(['transcribe', 'analyse-audio']);

export interface IngestResult {
  call: CallRecord;
  created: boolean;
  /** the audio was known and the upload's transcript differs from the call's: it was not stored (use the transcript import) */
  transcriptIgnored: boolean;
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
    const { audio } = input;
    const sha256 = audio.sha256 ?? ('content' in audio ? createHash('sha256').update(audio.content).digest('hex') : await sha256OfFile(audio.path));
    const existing = await this.calls.findBySha256(sha256);
    if (existing) return { call: existing, created: false, transcriptIgnored: await this.transcriptDiffers(existing, input.sidecar?.content) };

    const size = 'content' in audio ? audio.content.length : (await stat(audio.path)).size;
    const upload = randomUUID();
    const audioKey = `recordings/${sha256.slice(0, 2)}/${sha256}/${upload}.${input.audio.extension}`;
    const sidecarKey = input.sidecar ? `transcripts/sidecar/${sha256}/${upload}.${input.sidecar.extension}` : undefined;
    const written: string[] = [];
    let call: CallRecord;
    try {
      written.push(audioKey);
      await this.storage.put(audioKey, 'content' in audio ? audio.content : createReadStream(audio.path), { contentType: audio.contentType, size });
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
        if (winner) return { call: winner, created: false, transcriptIgnored: await this.transcriptDiffers(winner, input.sidecar?.content) };
      }
      throw error;
    }
    await this.queues.enqueue(FIRST_STAGE, call.id, { transcriptSupplied: sidecarKey !== undefined, newCall: true });
    this.logger.log(`ingested callId=${call.id} sha256=${sha256} bytes=${size}`);
    return { call, created: true, transcriptIgnored: false };
  }

  /** Whether a transcript sent with known audio is other than the one the call has (a call imported later: always). */
  private async transcriptDiffers(call: CallRecord, sent: Buffer | undefined): Promise<boolean> {
    if (!sent) return false;
    if (!call.sidecarKey || (await this.storage.stat(importedTranscriptKey(call.id)))) return true;
    try {
      return !(await readObject(this.storage, call.sidecarKey)).equals(sent);
    } catch {
      return true;
    }
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

  /**
   * Puts a call that is not in the pipeline (completed or failed) back at a stage, e.g. after its campaign's detector,
   * agent channel or rule packs changed; `prepare` (storing a new transcript) runs once the call is claimed, so a
   * refused re-run changes nothing. Stages replace what they wrote before, so nothing is counted twice. Returns null
   * for an unknown call; throws CallInPipelineError while it is queued or processing.
   */
  async rerun(callId: string, fromStage: PipelineStage, prepare?: () => Promise<void>): Promise<CallRecord | null> {
    const call = await this.calls.findById(callId);
    if (!call) return null;
    if (call.audioDeletedAt && STAGES_NEEDING_RECORDING.has(fromStage)) {
      throw new RecordingDeletedError(callId, call.audioDeletedAt, `${fromStage} cannot run again: the recording`);
    }
    if (call.status === 'failed' && call.failedStage && isPipelineStage(call.failedStage) && STAGES.indexOf(call.failedStage) < STAGES.indexOf(fromStage)) {
      throw new StageInputsMissingError(callId, fromStage, call.failedStage);
    }
    if (!(await this.calls.claimForRerun(callId))) {
      const current = await this.calls.findById(callId);
      throw new CallInPipelineError(callId, current?.status ?? call.status, current?.currentStage ?? null);
    }
    try {
      await prepare?.();
    } catch (error) {
      await this.calls.releaseRerunClaim(callId, call);
      throw error;
    }
    const transcriptSupplied = call.sidecarKey !== null || (await this.storage.stat(importedTranscriptKey(callId))) !== null;
    await this.queues.enqueue(fromStage, callId, { transcriptSupplied });
    this.logger.log(`re-run callId=${callId} from ${fromStage}`);
    return { ...call, status: 'queued', currentStage: null, failedStage: null, failureReason: null };
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
