export * from './exit-on-signal.js';
export * from './boot-checks.js';
