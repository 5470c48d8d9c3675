import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallRepository, CallResultsRepository } from '#libs/db';
import { REDACTION_RULES_VERSION, redactTranscript, redactionIsCurrent, redactionKindsFor } from '#libs/redaction';
import { OBJECT_STORAGE, type ObjectStorage, withLocalCopy } from '#libs/storage';
import { StageCall } from './stages/call-loader.js';
import { ClipStage } from './stages/clip.stage.js';
import { replaceRedactedAudio, storeRedactedAudio } from './stages/redacted-audio.js';

export type RedactionRefresh = 'current' | 'redone' | 'skipped';

export interface RedactionBackfillResult {
  examined: number;
  redone: string[];
  failed: string[];
}

const PAGE = 200;

/**
 * Brings stored calls up to the current redaction: a completed call whose stored view was made by older rules
 * (REDACTION_RULES_VERSION) or for other kinds (REDACTION_KINDS, the campaign's switches) gets a new view, a new
 * muted copy of its recording and its clips cut again from that copy. Calls still in the pipeline are left to it.
 */
@Injectable()
export class RedactionBackfillService {
  private readonly logger = new Logger(RedactionBackfillService.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clips: ClipStage,
  ) {}

  /** Every stale completed call, page by page; one call's failure is logged and counted, the others go on. */
  async backfill(): Promise<RedactionBackfillResult> {
    const result: RedactionBackfillResult = { examined: 0, redone: [], failed: [] };
    let after: string | null = null;
    for (;;) {
      const page = await this.results.listRedactionStamps(after, PAGE);
      for (const row of page) {
        result.examined++;
        const kinds = redactionKindsFor(this.config.redaction.kinds, row);
        if (row.status !== 'completed' || (row.stamp && redactionIsCurrent(row.stamp, kinds))) continue;
        try {
          if ((await this.refresh(row.callId)) === 'redone') result.redone.push(row.callId);
        } catch (error) {
          result.failed.push(row.callId);
          this.logger.error(`callId=${row.callId} redaction backfill failed: ${(error as Error).message}`, (error as Error).stack);
        }
      }
      if (page.length < PAGE) break;
      after = page.at(-1)?.callId ?? null;
    }
    this.logger.log(`redaction backfill (rules ${REDACTION_RULES_VERSION}): ${result.examined} transcripts, ${result.redone.length} redone, ${result.failed.length} failed`);
    return result;
  }

  /** One call: a new redacted view if its stored one is stale, and the muted copy and clips made again from it. */
  async refresh(callId: string): Promise<RedactionRefresh> {
    const call = await this.calls.findById(callId);
    const stored = await this.results.findTranscriptWithRedaction(callId);
    if (!call || !stored || call.status !== 'completed') return 'skipped';
    const kinds = redactionKindsFor(this.config.redaction.kinds, call);
    if (stored.redacted && redactionIsCurrent(stored.redacted.redaction, kinds)) return 'current';
    const redacted = redactTranscript(stored.transcript.segments, { kinds });
    // a transcript imported meanwhile brings its own view and a pipeline run that remakes the copy: leave it to them
    if (!(await this.results.saveRedactedView(callId, stored.transcript.segments, { segments: redacted.segments, redaction: redacted.redaction }))) {
      return 'skipped';
    }
    // retention deleted the recording: there is no copy to make
    if (call.audioDeletedAt) return 'redone';
    const spans = redacted.redaction.audioSpans;
    const key = await withLocalCopy(this.storage, call.audioKey, (audioPath) =>
      storeRedactedAudio(this.storage, { callId, audioKey: call.audioKey, redactedAudioKey: call.redactedAudioKey, audio: { path: audioPath }, spans }),
    );
    if (key !== call.redactedAudioKey) {
      const recut = await replaceRedactedAudio({ calls: this.calls, storage: this.storage }, call, key);
      await this.clips.run(new StageCall(this.calls, this.results, callId));
      this.logger.log(`callId=${callId} redaction redone: recording ${key} (${spans.length} muted spans), ${recut} clips cut again`);
    }
    return 'redone';
  }
}
