import pg from 'pg';

// Any constant works as long as every migrating process uses the same one; it only has to differ from the
// schema engine's own lock (72707369), which the engine takes on its own pool.
const LOCK_NAMESPACE = 'earshot:migrate:';

/**
 * Runs `work` while holding a Postgres advisory lock named after the target database, after creating that
 * database if it does not exist. The lock is taken from the `postgres` maintenance database when it can be
 * reached (so creation is serialised too), otherwise from the target database itself.
 */
export async function withDatabaseLock<T>(
  connectionString: string,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const target = new URL(connectionString);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const maintenance = new URL(connectionString);
  maintenance.pathname = '/postgres';

  let client = await openClient(maintenance.toString()).catch(() => undefined);
  const canCreate = client !== undefined && database !== '' && database !== 'postgres';
  client ??= await openClient(connectionString);
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [LOCK_NAMESPACE + database]);
    if (canCreate) await createDatabaseIfMissing(client, database, log);
    return await work();
  } finally {
    // Ending the session releases the lock even if the unlock query cannot run.
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [LOCK_NAMESPACE + database]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function openClient(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  // An idle client that loses its server emits 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function createDatabaseIfMissing(client: pg.Client, database: string, log: (line: string) => void): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (rowCount) return;
  await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
  log(`created database "${database}"`);
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
