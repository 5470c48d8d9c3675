import pg from 'pg';
import { Prisma } from './generated/prisma/client.js';
import type { DatabaseClient } from './prisma.service.js';

/**
 * Runs a hand-written statement (a Prisma.sql template) and answers its rows as `$queryRaw` types them: uuid and enum
 * as strings, timestamp and date as UTC Dates, bigint as BigInt, jsonb parsed. The batched statements of the hot path
 * go through it.
 */
export interface SqlRunner {
  /** as `$queryRaw` (a tagged template, or a Prisma.Sql): T is the rows' array type */
  query<T = unknown[]>(statement: Prisma.Sql | TemplateStringsArray, ...values: unknown[]): Promise<T>;
  /** as `$executeRaw`: rows the statement changed */
  execute(statement: Prisma.Sql | TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /** `work`'s statements in one transaction, rolled back when it throws; each statement may run 15 s at most */
  transaction<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

function sqlOf(statement: Prisma.Sql | TemplateStringsArray, values: unknown[]): Prisma.Sql {
  return statement instanceof Prisma.Sql ? statement : Prisma.sql(statement, ...values);
}

type RawClient = Pick<DatabaseClient, '$queryRaw' | '$executeRaw'>;

/** Embedded PGlite: through the Prisma client, as everything else. */
export function clientSqlRunner(client: DatabaseClient): SqlRunner {
  const over = (db: RawClient): Omit<SqlRunner, 'transaction'> => ({
    query: <T = unknown[]>(statement: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) => db.$queryRaw<T>(sqlOf(statement, values)),
    execute: (statement, ...values) => db.$executeRaw(sqlOf(statement, values)),
  });
  return {
    ...over(client),
    transaction: (work) => client.$transaction((tx) => work({ ...over(tx), transaction: () => Promise.reject(new Error('transactions do not nest')) }), { timeout: STATEMENT_TIMEOUT_MS }),
  };
}

const STATEMENT_TIMEOUT_MS = 15_000;

// the text forms Postgres sends, read as $queryRaw reads them (timestamps without a zone hold UTC by convention)
const PARSERS: Readonly<Record<number, (text: string) => unknown>> = {
  [pg.types.builtins.INT8]: (text) => BigInt(text),
  [pg.types.builtins.DATE]: (text) => new Date(`${text}T00:00:00Z`),
  [pg.types.builtins.TIMESTAMP]: (text) => new Date(`${text.replace(' ', 'T')}Z`),
};

const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (format !== 'binary' && PARSERS[oid]) || pg.types.getTypeParser(oid, format),
};

/**
 * Postgres: straight to the pool Prisma's adapter shares, past Prisma's client, which costs a statement 83–372 µs of
 * CPU against pg's 39 (`npm run bench:statements`) and more with a batch's large JSON parameter.
 */
export function poolSqlRunner(pool: pg.Pool): SqlRunner {
  const over = (db: pg.Pool | pg.PoolClient): Omit<SqlRunner, 'transaction'> => {
    const run = (statement: Prisma.Sql | TemplateStringsArray, values: unknown[]) => {
      const sql = sqlOf(statement, values);
      return db.query({
        text: sql.text,
        // a Date as UTC text: pg would write local time, which a timestamp column without a zone keeps as it reads
        values: sql.values.map((value) => (value instanceof Date ? value.toISOString() : value)),
        types: TYPES,
      });
    };
    return {
      query: async <T = unknown[]>(statement: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) => (await run(statement, values)).rows as T,
      execute: async (statement, ...values) => (await run(statement, values)).rowCount ?? 0,
    };
  };
  return {
    ...over(pool),
    async transaction(work) {
      const client = await pool.connect();
      // a connection whose rollback failed is closed, not handed to the next caller
      let broken: Error | undefined;
      try {
        await client.query(`BEGIN; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
        const result = await work({ ...over(client), transaction: () => Promise.reject(new Error('transactions do not nest')) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
