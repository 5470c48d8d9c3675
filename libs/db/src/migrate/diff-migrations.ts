import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import { MIGRATION_LOCK_CONTENT, MIGRATION_LOCK_FILE, readMigrationList } from './migration-list.js';
import { PgliteAdapterFactory } from './pglite-adapter.factory.js';
import { defaultMigrationsDir, defaultSchemaPath } from './project-paths.js';
import { withSchemaEngine } from './schema-engine.loader.js';

export interface DiffMigrationsOptions {
  /** Defaults to the project's prisma/migrations. */
  migrationsDir?: string;
  /** Defaults to the project's prisma/schema.prisma. */
  schemaPath?: string;
  log?: (line: string) => void;
}

/**
 * Returns the SQL that takes a database from the state the migrations folder produces to the one the Prisma
 * schema describes: the next migration's script, or '' when the schema has not changed.
 */
export async function diffMigrations(opts: DiffMigrationsOptions = {}): Promise<string> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const schemaPath = opts.schemaPath ?? defaultSchemaPath();
  const [migrationsList, schema] = await Promise.all([readMigrationList(migrationsDir), readFile(schemaPath, 'utf8')]);

  // One throwaway in-memory PGlite serves as both the engine's main connection (it connects eagerly but never
  // uses it for this diff) and the shadow database the migrations are replayed into; a second one would cost
  // another cold start of several seconds.
  const scratch = await PGlite.create();
  try {
    const result = await withSchemaEngine(new PgliteAdapterFactory(scratch, scratch), { log: opts.log }, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...migrationsList },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      }),
    );
    // With exitCode set the engine answers 2 for a non-empty diff, 0 for none.
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    await scratch.close();
  }
}

/**
 * Writes `sql` as prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql (and the lock file when the
 * folder has none), the layout `prisma migrate dev` produces. Returns the new migration's folder name.
 */
export async function writeMigration(
  sql: string,
  name: string,
  opts: { migrationsDir?: string; now?: Date } = {},
): Promise<string> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const folder = `${timestamp(opts.now ?? new Date())}_${normaliseName(name)}`;
  await mkdir(migrationsDir, { recursive: true });
  // Not recursive, so an existing folder of that name fails instead of being overwritten.
  await mkdir(path.join(migrationsDir, folder));
  await writeFile(path.join(migrationsDir, folder, 'migration.sql'), sql, 'utf8');
  await writeFile(path.join(migrationsDir, MIGRATION_LOCK_FILE), MIGRATION_LOCK_CONTENT, { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return folder;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

// Same rule as Prisma's CLI: lower case, anything outside [a-z0-9_] becomes '_'.
function normaliseName(name: string): string {
  const normalised = name.trim().toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 200);
  if (normalised === '') throw new Error('a migration needs a name');
  return normalised;
}
