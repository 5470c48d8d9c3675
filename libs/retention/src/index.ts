export * from './retention-policy.js';
export * from './recording-retention.service.js';
export * from './retention.module.js';
export * from './housekeeping.service.js';
