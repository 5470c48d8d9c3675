import OpenAI, { APIError } from 'openai';
import type { LlmClient, LlmCompletion, LlmCompletionRequest } from './llm-client.js';
import { LlmRequestError } from './llm-request.error.js';

export interface OpenAiLlmOptions {
  baseURL?: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** the SDK retries 408/409/429/5xx and connection errors with backoff, honouring Retry-After */
  maxRetries: number;
}

const PERMANENT_STATUS = new Set([400, 401, 403, 404, 413, 415, 422]);

/** Chat completions with strict JSON-schema structured output, against any OpenAI-compatible endpoint. */
export class OpenAiLlmClient implements LlmClient {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(options: OpenAiLlmOptions) {
    this.model = options.model;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: options.maxRetries });
  }

  async complete(request: LlmCompletionRequest): Promise<LlmCompletion> {
    try {
      const completion = await this.client.chat.completions.create({
        model: this.model,
        temperature: 0,
        messages: request.messages,
        response_format: { type: 'json_schema', json_schema: request.schema },
      });
      const message = completion.choices[0]?.message;
      return {
        content: message?.content ?? null,
        refusal: message?.refusal ?? (message ? null : 'no choice in the reply'),
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
      };
    } catch (error) {
      if (error instanceof APIError && typeof error.status === 'number') {
        throw new LlmRequestError(`LLM request failed with ${error.status}: ${error.message}`, PERMANENT_STATUS.has(error.status), error.status, { cause: error });
      }
      throw new LlmRequestError(`LLM request failed: ${(error as Error).message}`, false, undefined, { cause: error });
    }
  }
}
