import { Inject, Injectable } from '@nestjs/common';
import { UnreadableAudioError, detectVoiceActivity, probeAudio } from '#libs/audio';
import { type ConversationMetricsOptions, computeConversationMetrics, metricsFromTranscript } from '#libs/conversation-metrics';
import { type CallRecord, CallRepository, CallResultsRepository } from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { withLocalCopy } from '../local-audio-copy.js';
import { loadCall } from './call-loader.js';

/**
 * analyse-audio: decodes the recording (a corrupt one fails the call here, permanently) and measures the
 * conversation: per-channel voice activity (the campaign's detector, energy by default) for stereo, the transcript's
 * timed roles for mono.
 */
@Injectable()
export class AnalyseAudioStage {
  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async run(callId: string): Promise<void> {
    const call = await loadCall(this.calls, callId);
    const transcript = await this.results.findTranscript(callId);
    if (!transcript) throw new PermanentJobError('no transcript to analyse (the transcribe stage has not run)');
    const metrics = await withLocalCopy(this.storage, call.audioKey, async (path) => {
      try {
        return await this.measure(call, transcript, path);
      } catch (error) {
        // probe or decode: a file that ffmpeg cannot read will not read on a retry either
        if (error instanceof UnreadableAudioError) throw new PermanentJobError(`audio cannot be decoded: ${error.message}`);
        throw error;
      }
    });
    await this.results.saveMetrics(callId, metrics);
    if (call.durationSeconds === null) await this.calls.updateDuration(callId, metrics.durationSeconds);
  }

  private async measure(call: CallRecord, transcript: NormalisedTranscript, path: string): Promise<ConversationMetricsResult> {
    const probe = await probeAudio(path);
    const options: ConversationMetricsOptions = {
      talkRatioTarget: { agent: call.talkRatioAgentTarget * 100, customer: (1 - call.talkRatioAgentTarget) * 100 },
      talkRatioTolerance: call.talkRatioTolerance,
      connected: call.disposition === null || call.disposition === 'connected',
    };
    if (call.channelLayout === 'stereo' && probe.channels >= 2) {
      const activity = await detectVoiceActivity(path, {
        detector: call.vadDetector,
        channelLayout: call.agentChannel === 'right' ? 'agent-right' : 'agent-left',
      });
      if (activity.agent && activity.customer) {
        return computeConversationMetrics(
          { durationSeconds: activity.durationSeconds, agent: activity.agent, customer: activity.customer, transcript: transcript.segments },
          options,
          'audio',
        );
      }
    }
    return metricsFromTranscript(transcript, probe.durationSeconds, options);
  }
}
