export * from './earshot-metrics.js';
export * from './metrics.module.js';
