/** No credentials, or ones that do not (or no longer) work: 401. */
export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** A known caller asking for something its role may not do: 403, and an audit entry. */
export class ForbiddenError extends Error {
  constructor(
    message: string,
    readonly allowedRoles: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Too many failed sign-ins: 429 with Retry-After. */
export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed sign-ins for this email from this address; try again in ${retryAfterSeconds} s`);
    this.name = 'TooManyAttemptsError';
  }
}
