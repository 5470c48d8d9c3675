/** Bad client input; the API answers 400 with every problem, each naming its field. */
export class RequestValidationError extends Error {
  constructor(
    readonly problems: string[],
    readonly status: 400 | 413 | 415 | 422 = 400,
  ) {
    super(problems.join('; '));
    this.name = 'RequestValidationError';
  }
}
