/** Why a question-authoring request cannot be done; the API maps `kind` to a status (invalid 400, not_found 404, the rest 409). */
export class QuestionCatalogError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'read_only' | 'conflict' | 'unavailable',
    /** each names its field ("body.question.criteria.pass: ...") */
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'QuestionCatalogError';
  }
}
