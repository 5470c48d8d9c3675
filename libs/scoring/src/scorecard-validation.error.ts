export interface ScorecardIssue {
  /** dotted path of the offending field, e.g. `criteria.2.source.metric`; empty for the root */
  path: string;
  message: string;
}

export class ScorecardValidationError extends Error {
  constructor(readonly issues: ScorecardIssue[]) {
    super(`Invalid scorecard:\n  ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('\n  ')}`);
    this.name = 'ScorecardValidationError';
  }
}
