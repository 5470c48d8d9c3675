import type { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

import { readMigrationList } from './migration-list.js';
import { PgliteAdapterFactory } from './pglite-adapter.factory.js';
import { PostgresAdapterFactory } from './postgres-adapter.factory.js';
import { withDatabaseLock } from './postgres-database.js';
import { defaultMigrationsDir } from './project-paths.js';
import { withSchemaEngine } from './schema-engine.loader.js';

export type MigrationTarget = { kind: 'postgres'; connectionString: string } | { kind: 'pglite'; pglite: PGlite };

export interface ApplyMigrationsOptions {
  /** Defaults to the project's prisma/migrations. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

// PGlite is one session, so an advisory lock cannot serialise two callers sharing an instance; a promise
// chain per instance does.
const pgliteQueues = new WeakMap<PGlite, Promise<unknown>>();

/**
 * Applies every migration in the folder that the database has not recorded yet, recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. Safe to call concurrently.
 */
export async function applyMigrations(
  target: MigrationTarget,
  opts: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const log = opts.log ?? (() => undefined);

  if (target.kind === 'pglite') {
    const previous = pgliteQueues.get(target.pglite) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => deploy(new PgliteAdapterFactory(target.pglite), migrationsDir, log));
    pgliteQueues.set(target.pglite, run);
    return run;
  }

  return withDatabaseLock(target.connectionString, log, async () => {
    const factory = new PostgresAdapterFactory(target.connectionString);
    try {
      return await deploy(factory, migrationsDir, log);
    } finally {
      await factory.close();
    }
  });
}

async function deploy(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrationsDir: string,
  log: (line: string) => void,
): Promise<{ applied: string[] }> {
  const migrationsList = await readMigrationList(migrationsDir);
  const { appliedMigrationNames } = await withSchemaEngine(factory, { log }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } }),
  );
  log(
    appliedMigrationNames.length === 0
      ? 'no pending migrations'
      : `applied ${appliedMigrationNames.length} migration(s): ${appliedMigrationNames.join(', ')}`,
  );
  return { applied: appliedMigrationNames };
}
