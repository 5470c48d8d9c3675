export * from './exit-on-signal.js';
