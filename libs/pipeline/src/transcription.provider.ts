import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OpenAiTranscriptionProvider } from '#libs/transcription';
import { TRANSCRIPTION_PROVIDER } from './tokens.js';

/** One provider per process: its concurrency limits hold across every call this worker transcribes. */
export const TRANSCRIPTION_PROVIDER_PROVIDER: Provider = {
  provide: TRANSCRIPTION_PROVIDER,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => {
    const openai = config.transcription.openai;
    if (config.transcription.provider !== 'openai' || !openai) return null;
    return new OpenAiTranscriptionProvider({
      baseURL: openai.baseURL,
      apiKey: openai.apiKey,
      model: openai.model,
      responseFormat: openai.responseFormat,
      wordTimestamps: openai.wordTimestamps,
      timeoutMs: openai.timeoutMs,
      maxRetries: openai.maxRetries,
      concurrency: openai.concurrency,
      uploadLimitBytes: openai.uploadLimitBytes,
    });
  },
};
