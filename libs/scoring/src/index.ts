export * from './scorecard.js';
export * from './scorecard-validation.error.js';
export { validateScorecard, parseScorecard, scorecardJsonSchema, type ScorecardValidation } from './scorecard.schema.js';
export { scoreCall } from './score-call.js';
export { DEFAULT_SCORECARD } from './default-scorecard.js';
