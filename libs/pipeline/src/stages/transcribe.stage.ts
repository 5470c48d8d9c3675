import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallResultsRepository } from '#libs/db';
import type { NormalisedTranscript } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';
import { redactTranscript, redactionKindsFor } from '#libs/redaction';
import { OBJECT_STORAGE, type ObjectStorage, readObject, withLocalCopy } from '#libs/storage';
import { InvalidTranscriptError, PermanentTranscriptionError, TranscriptionProviders, parseSidecarTranscript } from '#libs/transcription';
import { importedTranscriptKey } from '#libs/calls';

import type { StageCall } from './call-loader.js';
import type { StageReport } from '../stage-report.js';

/**
 * transcribe: an imported or sidecar transcript when the call has one, else the provider (with the campaign's model);
 * stored with its redacted view (the deployment's REDACTION_KINDS, adjusted by the campaign, replaced).
 */
@Injectable()
export class TranscribeStage {
  constructor(
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly providers: TranscriptionProviders,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(stageCall: StageCall): Promise<StageReport> {
    const callId = stageCall.id;
    const call = await stageCall.load();
    let transcript: NormalisedTranscript;
    let report: StageReport = {};
    const provider = this.providers.forModel(call.transcriptionModel);
    // A transcript imported after the upload (PUT /v1/calls/:id/transcript) replaces the one sent with it.
    const importedKey = importedTranscriptKey(callId);
    const sidecarKey = (await this.storage.stat(importedKey)) ? importedKey : call.sidecarKey;
    if (sidecarKey) {
      const content = await readObject(this.storage, sidecarKey);
      try {
        transcript = parseSidecarTranscript(content, { filename: sidecarKey, agentChannel: call.agentChannel });
      } catch (error) {
        if (error instanceof InvalidTranscriptError) throw new PermanentJobError(`sidecar transcript: ${error.message}`);
        throw error;
      }
    } else if (provider) {
      try {
        transcript = await withLocalCopy(this.storage, call.audioKey, async (audioPath) => {
          const started = performance.now();
          const result = await provider.transcribe({
            audioPath,
            channelLayout: call.channelLayout,
            agentChannel: call.agentChannel,
            language: call.language ?? undefined,
          });
          const model = call.transcriptionModel ?? this.config.transcription.openai?.model ?? 'unknown';
          report = { transcription: { provider: provider.name, model, seconds: (performance.now() - started) / 1000 } };
          return result;
        });
      } catch (error) {
        if (error instanceof PermanentTranscriptionError) throw new PermanentJobError(error.message, { cause: error });
        throw error;
      }
    } else {
      throw new PermanentJobError(
        'no transcript was supplied with the call and no transcription provider is configured (TRANSCRIPTION_PROVIDER=openai)',
      );
    }
    // the redacted view is stored with the transcript; analyse-audio mutes its audio spans in a copy of the recording
    const redacted = redactTranscript(transcript.segments, { kinds: redactionKindsFor(this.config.redaction.kinds, call) });
    const view = { segments: redacted.segments, redaction: redacted.redaction };
    await this.results.saveTranscript(callId, transcript, view);
    stageCall.transcriptSaved({ transcript, redacted: view });
    return report;
  }
}
