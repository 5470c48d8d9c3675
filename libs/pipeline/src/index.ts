export * from './pipeline.module.js';
export * from './stage-runner.js';
export * from './stage-report.js';
export * from './redaction-backfill.service.js';
export { StageCall } from './stages/call-loader.js';
