export { applyMigrations, type ApplyMigrationsOptions, type MigrationTarget } from './apply-migrations.js';
export { diffMigrations, writeMigration, type DiffMigrationsOptions } from './diff-migrations.js';
export { pendingMigrations } from './pending-migrations.js';
