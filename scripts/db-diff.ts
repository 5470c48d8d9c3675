// `db-diff <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that brings the
// migrations up to prisma/schema.prisma, or prints "no changes". Needs no database: it replays the migrations
// into an in-memory PGlite.
import { diffMigrations, writeMigration } from '../libs/db/src/migrate/index.js';

const name = process.argv.slice(2).find((arg) => arg !== '--');
if (!name) {
  console.error('usage: npm run db:diff -- <migration_name>');
  process.exit(2);
}

const started = performance.now();
try {
  const sql = await diffMigrations({ log: (line) => console.error(line) });
  const ms = Math.round(performance.now() - started);
  if (sql === '') {
    console.log(`no changes (${ms} ms)`);
  } else {
    const folder = await writeMigration(sql, name);
    console.log(`wrote prisma/migrations/${folder}/migration.sql (${sql.split('\n').length} lines, ${ms} ms)`);
  }
} catch (error) {
  console.error('db-diff failed:', error);
  process.exitCode = 1;
}
