import { Inject, Injectable, Logger } from '@nestjs/common';
import { CallRepository } from '#libs/db';
import type { NormalisedTranscript, Speaker } from '#libs/domain';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { parseSidecarTranscript } from '#libs/transcription';
import { FIRST_STAGE } from '#libs/queue';
import { IngestService } from './ingest.service.js';
import { importedTranscriptKey } from './imported-transcript-key.js';
import { RecordingDeletedError } from './recording-deleted.error.js';

export { importedTranscriptKey } from './imported-transcript-key.js';

export interface TranscriptImportInput {
  content: Buffer;
  filename?: string;
  contentType?: string;
  /** speaker name/label → role for AWS speaker labels or subtitle voice names the built-in names do not cover */
  speakerMap?: Record<string, Speaker>;
}

/**
 * Replaces a call's transcript with one supplied later (Earshot JSON, AWS Transcribe, WebVTT/SRT) and re-runs the call's
 * pipeline from the start. Returns null when the call does not exist; a malformed transcript throws InvalidTranscriptError,
 * a call still in the pipeline CallInPipelineError.
 */
@Injectable()
export class TranscriptImportService {
  private readonly logger = new Logger(TranscriptImportService.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly ingest: IngestService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async importTranscript(callId: string, input: TranscriptImportInput): Promise<NormalisedTranscript | null> {
    const call = await this.calls.findById(callId);
    if (!call) return null;
    // re-running would need the recording for the audio stages and clips
    if (call.audioDeletedAt) throw new RecordingDeletedError(callId, call.audioDeletedAt, 'a new transcript cannot be analysed: the recording');
    const transcript = parseSidecarTranscript(input.content, {
      filename: input.filename,
      contentType: input.contentType,
      agentChannel: call.agentChannel,
      speakerMap: input.speakerMap,
    });
    // Stored already normalised (Earshot JSON), so the stage needs neither the original format nor the hints.
    const body = Buffer.from(JSON.stringify({ format: 'earshot.transcript.v1', ...transcript }), 'utf8');
    // claimed first: a call in the pipeline answers 409 and its running stages never read the new transcript
    const claimed = await this.ingest.rerun(callId, FIRST_STAGE, () =>
      this.storage.put(importedTranscriptKey(callId), body, { contentType: 'application/json', size: body.length }),
    );
    if (!claimed) return null;
    this.logger.log(`imported transcript callId=${callId} segments=${transcript.segments.length} provider=${transcript.provider}`);
    return transcript;
  }
}
