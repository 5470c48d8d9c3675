export * from './log-context.js';
export * from './log-scrub.js';
export * from './logging.module.js';
export * from './pino-options.js';
