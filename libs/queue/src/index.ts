export * from './queue-names.js';
export * from './job-payloads.js';
export * from './pipeline.js';
export * from './permanent-job-error.js';
