export * from './transcript.js';
export * from './finding.js';
export * from './conversation-metrics.js';
export * from './uuid.js';
export * from './roles.js';
export * from './audio-file-types.js';
export * from './waveform.js';
export * from './transcript-keys.js';
