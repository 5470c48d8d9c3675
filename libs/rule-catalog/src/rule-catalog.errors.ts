/** Why a rule-pack request cannot be done; the API maps `kind` to a status (invalid 400, not_found 404, the rest 409). */
export class RuleCatalogError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'read_only' | 'conflict',
    /** each names its field ("pack.rules.3.phrases.0: ...") */
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'RuleCatalogError';
  }
}
