export * from './call-outcome-counters.js';
export * from './evaluation-metrics.js';
export * from './dimensions.js';
export * from './wilson.js';
export * from './ranking.js';
export * from './thresholds.js';
export * from './activity.js';
