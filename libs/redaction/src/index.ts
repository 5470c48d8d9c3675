export * from './checksums.js';
export * from './sensitive-text.js';
export * from './transcript-redaction.js';
export * from './redaction-kinds.js';
export * from './labelled-set.js';
