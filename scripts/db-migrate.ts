// Applies prisma/migrations to DATABASE_URL (creating the database if needed), as `prisma migrate deploy` would.
import { applyMigrations } from '../libs/db/src/migrate/index.js';

const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/earshot';
const started = performance.now();
const redacted = connectionString.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

try {
  const { applied } = await applyMigrations(
    { kind: 'postgres', connectionString },
    { log: (line) => console.log(line) },
  );
  const ms = Math.round(performance.now() - started);
  console.log(`${redacted}: ${applied.length === 0 ? 'up to date' : `${applied.length} applied`} in ${ms} ms`);
} catch (error) {
  console.error(`migrating ${redacted} failed:`, error);
  process.exitCode = 1;
}
