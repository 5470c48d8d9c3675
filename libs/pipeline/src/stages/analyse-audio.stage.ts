import { Inject, Injectable, Logger } from '@nestjs/common';
import { PeakAccumulator, UnreadableAudioError, detectVoiceActivity, inMemoryWav, probeAudio } from '#libs/audio';
import { type ConversationMetricsOptions, computeConversationMetrics, metricsFromTranscript } from '#libs/conversation-metrics';
import { type CallRecord, CallRepository, CallResultsRepository } from '#libs/db';
import { AUDIO_FILE_TYPES, type ConversationMetricsResult, type NormalisedTranscript, WAVEFORM_BUCKETS } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { type TimeSpan, redactTranscript, redactionIsCurrent, redactionKindsFor } from '#libs/redaction';
import { OBJECT_STORAGE, type ObjectStorage, readObject, withLocalCopy } from '#libs/storage';
import type { StageCall } from './call-loader.js';
import { replaceRedactedAudio, storeRedactedAudio } from './redacted-audio.js';
import { saveWaveform } from '#libs/calls';

/** Recordings up to this size are analysed in memory (a 2-minute 8 kHz mono WAV is under 2 MiB). */
const IN_MEMORY_AUDIO_BYTES = 8 * 1024 * 1024;

/**
 * analyse-audio: decodes the recording (a corrupt one fails the call here, permanently) and measures the
 * conversation: per-channel voice activity (the campaign's detector, energy by default) for stereo, the transcript's
 * timed roles for mono. Then stores the recording with the transcript's redacted spans muted (Call.redactedAudioKey; the
 * recording's own key when nothing is muted); when that copy changes, the call's clips are cut again from it.
 */
@Injectable()
export class AnalyseAudioStage {
  private readonly logger = new Logger(AnalyseAudioStage.name);

  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(stageCall: StageCall): Promise<void> {
    const callId = stageCall.id;
    const call = await stageCall.load();
    const stored = await stageCall.transcript();
    if (!stored) throw new PermanentJobError('no transcript to analyse (the transcribe stage has not run)');
    const { transcript } = stored;
    // a transcript stored before redaction existed (or by older rules, or for other kinds) is redacted now for the mute
    const kinds = redactionKindsFor(this.config.redaction.kinds, call);
    const current = stored.redacted && redactionIsCurrent(stored.redacted.redaction, kinds) ? stored.redacted : null;
    const spans = (current ?? redactTranscript(transcript.segments, { kinds })).redaction.audioSpans;
    const { metrics, redactedAudioKey, channels } = await this.analyse(call, transcript, spans);
    await this.results.saveMetrics(callId, metrics);
    stageCall.metricsSaved(metrics);
    // none on a re-run that measured nothing new; with the new redacted copy's, one write
    const measured =
      call.durationSeconds === null || call.audioChannels !== channels
        ? { audioChannels: channels, ...(call.durationSeconds === null ? { durationSeconds: metrics.durationSeconds } : {}) }
        : undefined;
    if (redactedAudioKey !== call.redactedAudioKey) {
      const recut = await replaceRedactedAudio({ calls: this.calls, storage: this.storage }, call, redactedAudioKey, measured);
      this.logger.log(`callId=${callId} redacted recording ${redactedAudioKey} (${spans.length} muted spans; ${recut} clips to cut again)`);
      stageCall.patch({ redactedAudioKey, ...measured });
      // clips cut from the old copy were cleared
      stageCall.findingsChanged();
    } else if (measured) {
      await this.calls.recordAudioMeasurements(callId, measured);
      stageCall.patch(measured);
    }
  }

  /**
   * A small mono WAV (what a dialer's sidecar calls mostly are) is read once into memory, probed and muted there: no
   * file, second read or temp folder. Anything else goes through a local file, where ffmpeg and the detectors read it.
   */
  private async analyse(
    call: CallRecord,
    transcript: NormalisedTranscript,
    spans: readonly TimeSpan[],
  ): Promise<{ metrics: ConversationMetricsResult; redactedAudioKey: string; channels: number }> {
    const redacted = { callId: call.id, audioKey: call.audioKey, redactedAudioKey: call.redactedAudioKey, spans };
    // read into memory only what is stored as a WAV: another format would be read again through a file
    const inMemory = call.channelLayout !== 'stereo' && call.audioContentType === AUDIO_FILE_TYPES.wav.contentType && call.audioBytes <= IN_MEMORY_AUDIO_BYTES;
    const wav = inMemory ? inMemoryWav(await readObject(this.storage, call.audioKey)) : null;
    if (wav) {
      const metrics = metricsFromTranscript(transcript, wav.probe.durationSeconds, this.metricsOptions(call));
      const redactedAudioKey = await storeRedactedAudio(this.storage, { ...redacted, audio: { wav } });
      return { metrics, redactedAudioKey, channels: wav.probe.channels };
    }
    return withLocalCopy(this.storage, call.audioKey, async (path) => {
      try {
        const measured = await this.measure(call, transcript, path);
        const key = await storeRedactedAudio(this.storage, { ...redacted, audio: { path } });
        // the console draws the muted copy: the spans muted in it are drawn flat
        if (measured.peaks) await saveWaveform(this.storage, key, measured.peaks.result(WAVEFORM_BUCKETS, spans));
        return { metrics: measured.metrics, redactedAudioKey: key, channels: measured.channels };
      } catch (error) {
        // probe or decode: a file that ffmpeg cannot read will not read on a retry either
        if (error instanceof UnreadableAudioError) throw new PermanentJobError(`audio cannot be decoded: ${error.message}`);
        throw error;
      }
    });
  }

  private metricsOptions(call: CallRecord): ConversationMetricsOptions {
    return {
      talkRatioTarget: { agent: call.talkRatioAgentTarget * 100, customer: (1 - call.talkRatioAgentTarget) * 100 },
      talkRatioTolerance: call.talkRatioTolerance,
      connected: call.disposition === null || call.disposition === 'connected',
    };
  }

  /** Metrics from the audio where both channels are there (collecting the waveform in the same pass), else from the transcript. */
  private async measure(
    call: CallRecord,
    transcript: NormalisedTranscript,
    path: string,
  ): Promise<{ metrics: ConversationMetricsResult; peaks?: PeakAccumulator; channels: number }> {
    const probe = await probeAudio(path);
    const options = this.metricsOptions(call);
    if (call.channelLayout === 'stereo' && probe.channels >= 2) {
      const peaks = new PeakAccumulator(2);
      const activity = await detectVoiceActivity(path, {
        detector: call.vadDetector,
        channelLayout: call.agentChannel === 'right' ? 'agent-right' : 'agent-left',
        peaks,
      });
      if (activity.agent && activity.customer) {
        const metrics = computeConversationMetrics(
          { durationSeconds: activity.durationSeconds, agent: activity.agent, customer: activity.customer, transcript: transcript.segments },
          options,
          'audio',
        );
        return { metrics, peaks, channels: probe.channels };
      }
    }
    // mono, or declared stereo with one channel (the call view flags that): roles come from the transcript
    return { metrics: metricsFromTranscript(transcript, probe.durationSeconds, options), channels: probe.channels };
  }
}
