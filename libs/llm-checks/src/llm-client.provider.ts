import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LLM_CLIENT } from './llm-client.js';
import { OpenAiLlmClient } from './openai-llm.client.js';

/** One client per process (its connection pool is shared by every call this worker checks); null when unconfigured. */
export const LLM_CLIENT_PROVIDER: Provider = {
  provide: LLM_CLIENT,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => {
    const llm = config.llm;
    if (!llm) return null;
    return new OpenAiLlmClient({ baseURL: llm.baseURL, apiKey: llm.apiKey, model: llm.model, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries });
  },
};
