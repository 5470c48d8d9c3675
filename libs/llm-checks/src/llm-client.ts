import type { LlmMessage } from './llm-prompt.js';

/** The LLM endpoint of this deployment (null when none is configured: LLM checks are then skipped). */
export const LLM_CLIENT = Symbol('LLM_CLIENT');

export interface LlmCompletionRequest {
  messages: LlmMessage[];
  /** structured output: the reply must be JSON matching this schema */
  schema: { name: string; strict: boolean; schema: Record<string, unknown> };
}

export interface LlmCompletion {
  /** the reply text; null when the model refused (see `refusal`) */
  content: string | null;
  refusal: string | null;
  inputTokens: number;
  outputTokens: number;
}

/** Asks one structured-output question. Throws LlmRequestError; `permanent` ones will not succeed on retry. */
export interface LlmClient {
  readonly model: string;
  complete(request: LlmCompletionRequest): Promise<LlmCompletion>;
}
