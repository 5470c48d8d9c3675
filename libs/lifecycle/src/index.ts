export * from './exit-on-signal.js';
export * from './boot-checks.js';
export * from './temp-sweep.js';
export * from './temp-file-sweeper.js';
