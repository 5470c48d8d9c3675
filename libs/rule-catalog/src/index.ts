/** Rule packs as product data: seeding of the shipped packs, drafts, publish and rollback, per-campaign packs. */
export * from './rule-catalog.errors.js';
export * from './rule-pack-diff.js';
export * from './rule-pack-draft.js';
export * from './rule-pack-runtime.service.js';
export * from './rule-catalog.service.js';
export * from './call-rules.js';
export * from './finding-diff.js';
export * from './rule-backtest.service.js';
export * from './rule-backtest-jobs.service.js';
export * from './rule-recheck.service.js';
export * from './rule-check-pool.js';
export * from './rule-catalog.module.js';
