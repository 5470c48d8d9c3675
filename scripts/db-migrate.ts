// Applies prisma/migrations to the configured database, as `prisma migrate deploy` would: DATABASE_URL (creating the
// database if needed), or the embedded PGlite in EARSHOT_DATA_DIR when none is set, the same default as the app's.
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../libs/config/src/index.js';
import { applyMigrations } from '../libs/db/src/migrate/index.js';

const { database } = loadConfig();
const started = performance.now();
const where = database.kind === 'postgres' ? database.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@') : `embedded PGlite in ${database.dataDir}`;

try {
  const pglite = database.kind === 'pglite' ? new PGlite(database.dataDir) : null;
  try {
    const { applied } = await applyMigrations(pglite ? { kind: 'pglite', pglite } : { kind: 'postgres', connectionString: (database as { url: string }).url }, {
      log: (line) => console.log(line),
    });
    const ms = Math.round(performance.now() - started);
    console.log(`${where}: ${applied.length === 0 ? 'up to date' : `${applied.length} applied`} in ${ms} ms`);
  } finally {
    await pglite?.close();
  }
} catch (error) {
  console.error(`migrating ${where} failed:`, error);
  process.exitCode = 1;
}
