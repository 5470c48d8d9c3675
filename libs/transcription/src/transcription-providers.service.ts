import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EarshotMetrics } from '#libs/metrics';
import { OpenAiTranscriptionProvider } from './openai-transcription.provider.js';
import type { TranscriptionProvider } from './transcription.provider.js';

/**
 * The deployment's transcription provider, and the same endpoint with another model where a campaign names one.
 * One provider per model per process: its concurrency limit holds across every call this worker transcribes.
 */
@Injectable()
export class TranscriptionProviders {
  private readonly byModel = new Map<string, TranscriptionProvider>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: EarshotMetrics,
  ) {}

  /** null when the deployment transcribes nothing itself (sidecar transcripts only). */
  forModel(campaignModel: string | null): TranscriptionProvider | null {
    const openai = this.config.transcription.openai;
    if (this.config.transcription.provider !== 'openai' || !openai) return null;
    const model = campaignModel ?? openai.model;
    let provider = this.byModel.get(model);
    if (!provider) {
      provider = new OpenAiTranscriptionProvider({
        baseURL: openai.baseURL,
        apiKey: openai.apiKey,
        model,
        responseFormat: model === openai.model ? openai.responseFormat : 'auto',
        wordTimestamps: openai.wordTimestamps,
        timeoutMs: openai.timeoutMs,
        maxRetries: openai.maxRetries,
        concurrency: openai.concurrency,
        uploadLimitBytes: openai.uploadLimitBytes,
        onRequest: ({ model: requested, seconds, error }) => {
          this.metrics?.transcriptionRequestDuration.observe({ provider: 'openai', model: requested, outcome: error ? 'error' : 'ok' }, seconds);
          if (error) this.metrics?.transcriptionRequestErrors.inc({ provider: 'openai', model: requested, error_class: error });
        },
      });
      this.byModel.set(model, provider);
    }
    return provider;
  }
}
