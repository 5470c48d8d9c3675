import type { ReviewConflict } from '#libs/db';

/** Someone decided on the finding after the reviewer loaded it: 409 with their decision. */
export class ReviewConflictError extends Error {
  constructor(
    readonly findingId: string,
    readonly current: ReviewConflict['conflict'],
  ) {
    super(`finding ${findingId} was already ${current.reviewState}${current.reviewedBy ? ` by ${current.reviewedBy}` : ''}; nothing changed`);
    this.name = 'ReviewConflictError';
  }
}
