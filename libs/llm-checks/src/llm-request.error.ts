/** An LLM request that failed after the client's own retries; `permanent` (a 4xx rejection) will not succeed on retry. */
export class LlmRequestError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'LlmRequestError';
  }
}
