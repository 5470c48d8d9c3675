export * from './prisma.service.js';
export * from './database.module.js';
export * from './migrate/index.js';
export * from './repositories/call.repository.js';
export * from './repositories/call-results.repository.js';
export * from './repositories/rollup.repository.js';
