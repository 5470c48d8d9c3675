export * from './ingest.service.js';
export * from './transcript-import.service.js';
export * from './call-query.service.js';
export * from './recording-deleted.error.js';
export * from './waveform-store.js';
export * from './calls.module.js';
export * from './call-in-pipeline.error.js';
