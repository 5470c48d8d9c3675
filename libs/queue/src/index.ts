export * from './queue-names.js';
export * from './job-payloads.js';
export * from './job-options.js';
export * from './pipeline.js';
export * from './permanent-job-error.js';
export * from './redis-connection.js';
export * from './job-queues.service.js';
export * from './queue.module.js';
