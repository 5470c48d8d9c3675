import { mkdtemp, readdir, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { jest } from '@jest/globals';
import pg from 'pg';

import { applyMigrations, diffMigrations, type MigrationTarget } from './index.js';
import { defaultMigrationsDir } from './project-paths.js';

jest.setTimeout(60_000);

const SERVER = 'postgresql://postgres@127.0.0.1:5432';
const RUN_ID = `${process.pid}_${Date.now()}`;
const createdDatabases: string[] = [];

function throwawayDatabase(label: string): string {
  const name = `earshot_migrate_spec_${label}_${RUN_ID}`;
  createdDatabases.push(name);
  return `${SERVER}/${name}`;
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface Inspectable {
  query(sql: string): Promise<{ rows: Record<string, unknown>[] }>;
}

async function publicTables(db: Inspectable): Promise<string[]> {
  const { rows } = await db.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => String(row['table_name']));
}

async function recordedMigrations(db: Inspectable): Promise<string[]> {
  const { rows } = await db.query(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
  );
  return rows.map((row) => String(row['migration_name']));
}

let migrationNames: string[];

beforeAll(async () => {
  const entries = await readdir(defaultMigrationsDir(), { withFileTypes: true });
  migrationNames = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
});

afterAll(async () => {
  await withClient(`${SERVER}/postgres`, async (client) => {
    for (const name of createdDatabases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
});

it('has at least the init migration to test with', () => {
  expect(migrationNames.some((name) => name.endsWith('_init'))).toBe(true);
});

describe.each([
  {
    kind: 'postgres',
    target: (): { target: MigrationTarget; db: Inspectable; close: () => Promise<void> } => {
      const connectionString = throwawayDatabase('seq');
      return {
        target: { kind: 'postgres', connectionString },
        db: { query: (sql) => withClient(connectionString, (client) => client.query(sql)) },
        close: () => Promise.resolve(),
      };
    },
  },
  {
    kind: 'pglite',
    target: (): { target: MigrationTarget; db: Inspectable; close: () => Promise<void> } => {
      const pglite = new PGlite();
      return {
        target: { kind: 'pglite', pglite },
        db: { query: (sql) => pglite.query<Record<string, unknown>>(sql) },
        close: () => pglite.close(),
      };
    },
  },
])('applyMigrations on $kind', ({ target: makeTarget }) => {
  const subject = makeTarget();
  afterAll(() => subject.close());

  it('applies every migration to an empty database and records it', async () => {
    const lines: string[] = [];
    const { applied } = await applyMigrations(subject.target, { log: (line) => lines.push(line) });

    expect(applied).toEqual(migrationNames);
    expect(await recordedMigrations(subject.db)).toEqual(migrationNames);
    expect(await publicTables(subject.db)).toEqual(
      expect.arrayContaining(['Call', 'Finding', 'Transcript', 'Evaluation', '_prisma_migrations']),
    );
    expect(lines.at(-1)).toMatch(/^applied \d+ migration/);
  });

  it('applies nothing the second time', async () => {
    const { applied } = await applyMigrations(subject.target);

    expect(applied).toEqual([]);
    expect(await recordedMigrations(subject.db)).toEqual(migrationNames);
  });
});

describe('concurrent applyMigrations', () => {
  it('on one Postgres database: each migration applied exactly once, the database created once', async () => {
    const connectionString = throwawayDatabase('race');
    const target: MigrationTarget = { kind: 'postgres', connectionString };

    const results = await Promise.all([applyMigrations(target), applyMigrations(target), applyMigrations(target)]);

    expect(results.flatMap((r) => r.applied).sort()).toEqual(migrationNames);
    const rows = await withClient(connectionString, (client) =>
      client.query('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name'),
    );
    expect(rows.rows.map((row: { migration_name: string }) => row.migration_name)).toEqual(migrationNames);
  });

  it('on one PGlite instance: each migration applied exactly once', async () => {
    const pglite = new PGlite();
    try {
      const target: MigrationTarget = { kind: 'pglite', pglite };

      const results = await Promise.all([applyMigrations(target), applyMigrations(target)]);

      expect(results.flatMap((r) => r.applied).sort()).toEqual(migrationNames);
      const { rows } = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM _prisma_migrations');
      expect(rows[0]?.n).toBe(migrationNames.length);
    } finally {
      await pglite.close();
    }
  });
});

describe('a failing migration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'earshot-migrate-'));
    await copyFile(path.join(defaultMigrationsDir(), 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
    await mkdir(path.join(dir, '20000101000000_broken'));
    // A ';' inside a literal, then a statement that fails after one that succeeded.
    await writeFile(
      path.join(dir, '20000101000000_broken', 'migration.sql'),
      "CREATE TABLE kept_or_not (note text DEFAULT 'a;b');\nSELECT * FROM no_such_table;\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rejects, records the failure, and leaves no half-applied script behind (Postgres)', async () => {
    const connectionString = throwawayDatabase('broken');

    await expect(applyMigrations({ kind: 'postgres', connectionString }, { migrationsDir: dir })).rejects.toThrow(
      /no_such_table/,
    );

    const state = await withClient(connectionString, async (client) => ({
      tables: await publicTables(client),
      failed: (await client.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL')).rows,
    }));
    expect(state.tables).not.toContain('kept_or_not');
    expect(state.failed).toEqual([{ migration_name: '20000101000000_broken' }]);
  });

  it('rejects on PGlite too instead of recording it as applied', async () => {
    const pglite = new PGlite();
    try {
      await expect(applyMigrations({ kind: 'pglite', pglite }, { migrationsDir: dir })).rejects.toThrow(/no_such_table/);
      expect(await recordedMigrations(pglite)).toEqual([]);
    } finally {
      await pglite.close();
    }
  });
});

describe('diffMigrations', () => {
  it('finds nothing to do: prisma/migrations already produce prisma/schema.prisma', async () => {
    expect(await diffMigrations()).toBe('');
  });
});
