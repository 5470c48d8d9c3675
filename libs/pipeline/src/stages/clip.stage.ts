import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { cutClip } from '#libs/audio';
import { CallRepository, CallResultsRepository } from '#libs/db';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { withLocalCopy } from '../local-audio-copy.js';
import { loadCall } from './call-loader.js';

const PAD_BEFORE_SECONDS = 3;
const PAD_AFTER_SECONDS = 3;

/** clip: an MP3 clip around every timed finding that has none yet; the clip key is deterministic per finding. */
@Injectable()
export class ClipStage {
  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async run(callId: string): Promise<void> {
    const call = await loadCall(this.calls, callId);
    const pending = (await this.results.listFindings(callId)).filter(
      (finding) => finding.clipKey === null && finding.evidence?.startSeconds !== undefined,
    );
    if (pending.length === 0) return;
    const duration = call.durationSeconds ?? Number.POSITIVE_INFINITY;
    await withLocalCopy(this.storage, call.audioKey, async (audioPath) => {
      const dir = await mkdtemp(join(tmpdir(), 'earshot-clip-'));
      try {
        for (const finding of pending) {
          const start = finding.evidence?.startSeconds ?? 0;
          const end = finding.evidence?.endSeconds ?? start;
          const output = join(dir, `${finding.id}.mp3`);
          await cutClip(
            audioPath,
            { start, end, padBefore: PAD_BEFORE_SECONDS, padAfter: PAD_AFTER_SECONDS, duration },
            output,
            'mp3',
          );
          const key = `clips/${callId}/${finding.id}.mp3`;
          await this.storage.put(key, createReadStream(output), { contentType: 'audio/mpeg', size: (await stat(output)).size });
          await this.results.setClipKey(finding.id, key);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
}
