import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { defaultMigrationsDir } from './project-paths.js';

/**
 * The migrations in the folder that the database has not finished applying, oldest first (empty: up to date).
 * Rejects when the database cannot be reached.
 */
export async function pendingMigrations(connectionString: string, migrationsDir = defaultMigrationsDir()): Promise<string[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const expected = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const applied = await client
      .query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      )
      .then((result) => new Set(result.rows.map((row) => row.migration_name)))
      .catch((error: { code?: string }) => {
        // no _prisma_migrations table: nothing was ever applied
        if (error.code === '42P01') return new Set<string>();
        throw error;
      });
    return expected.filter((name) => !applied.has(name));
  } finally {
    await client.end();
  }
}
