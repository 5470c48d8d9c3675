import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type ClipFormat, UnreadableAudioError, clipSpan, cutClip, probeAudio } from '#libs/audio';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallResultsRepository, type StoredFinding } from '#libs/db';
import { PermanentJobError } from '#libs/queue';
import { OBJECT_STORAGE, type ObjectStorage, withLocalCopy } from '#libs/storage';
import type { StageCall } from './call-loader.js';

const EXTENSIONS: Record<ClipFormat, string> = { mp3: 'mp3', opus: 'ogg' };

/**
 * clip: a small clip (CLIP_FORMAT, CLIP_PAD_SECONDS each side, clamped to the recording) around every timed finding
 * that has none yet, cut from the redacted recording (the original only where a call has none yet); the key is
 * deterministic per finding. A finding whose span lies outside the recording is skipped with a warning: no retry can
 * give it a clip.
 */
@Injectable()
export class ClipStage {
  private readonly logger = new Logger(ClipStage.name);

  constructor(
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(stageCall: StageCall): Promise<void> {
    const callId = stageCall.id;
    const call = await stageCall.load();
    // retention deleted the recording: nothing is left to cut from (a re-score after a review still hands on to rollup)
    if (call.audioDeletedAt) return;
    const pending = (await stageCall.findings()).filter(
      (finding) => finding.clipKey === null && finding.evidence?.startSeconds !== undefined,
    );
    if (pending.length === 0) return;
    const { clipPadSeconds: pad, clipFormat: format } = this.config.media;
    // clips reach trainers and reviewers: cut them from the copy with redacted speech muted (analyse-audio wrote it)
    const source = call.redactedAudioKey ?? call.audioKey;
    await withLocalCopy(this.storage, source, async (audioPath) => {
      // the recording's own length, not the dialer's metadata: a clip must not run past the audio
      const duration = (await this.probe(audioPath)).durationSeconds;
      const dir = await mkdtemp(join(tmpdir(), 'earshot-clip-'));
      try {
        for (const finding of pending) {
          const span = { ...evidenceSpan(finding), padBefore: pad, padAfter: pad, duration };
          if (!spanInsideCall(span)) {
            this.logger.warn(
              `callId=${callId} finding ${finding.id} (${finding.ruleId}): evidence ${span.start}–${span.end} s lies outside the ` +
                `recording (0–${duration} s); no clip`,
            );
            continue;
          }
          const output = join(dir, `${finding.id}.${EXTENSIONS[format]}`);
          const clip = await this.cut(audioPath, span, output, format);
          const key = `clips/${callId}/${finding.id}.${EXTENSIONS[format]}`;
          await this.storage.put(key, createReadStream(output), { contentType: clip.mimeType, size: (await stat(output)).size });
          await this.results.setClipKey(finding.id, key);
          stageCall.findingsChanged();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  private async probe(path: string): Promise<{ durationSeconds: number }> {
    try {
      return await probeAudio(path);
    } catch (error) {
      if (error instanceof UnreadableAudioError) throw new PermanentJobError(`audio cannot be decoded: ${error.message}`);
      throw error;
    }
  }

  private async cut(...args: Parameters<typeof cutClip>): ReturnType<typeof cutClip> {
    try {
      return await cutClip(...args);
    } catch (error) {
      if (error instanceof UnreadableAudioError) throw new PermanentJobError(`clip cannot be cut: ${error.message}`);
      throw error;
    }
  }
}

function evidenceSpan(finding: StoredFinding): { start: number; end: number } {
  const start = finding.evidence?.startSeconds ?? 0;
  return { start, end: finding.evidence?.endSeconds ?? start };
}

function spanInsideCall(span: Parameters<typeof clipSpan>[0]): boolean {
  if (![span.start, span.end].every(Number.isFinite)) return false;
  try {
    clipSpan(span);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
