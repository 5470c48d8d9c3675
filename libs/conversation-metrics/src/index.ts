export * from './interval.js';
export * from './metrics-options.js';
export * from './conversation-metrics.js';
export * from './transcript-metrics.js';
export { countWords } from './speech-rate.js';
