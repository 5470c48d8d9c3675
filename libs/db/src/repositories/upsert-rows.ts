import { Prisma } from '../generated/prisma/client.js';
import { GroupCommit } from '../group-commit.js';
import type { SqlRunner } from '../sql-runner.js';

/**
 * `INSERT INTO table (columns) SELECT columns FROM <rows>`: each row object's keys are the columns written, typed by
 * the table itself (jsonb_populate_recordset), so enums, uuids, timestamps (ISO text, UTC) and JSON need no casts.
 * Every row must carry the same keys, NOT NULL columns with defaults included (the statement writes what it is
 * given). Table and column names are code constants, never input.
 */
function insertFromJson(table: string, rows: readonly Record<string, unknown>[]): { insert: Prisma.Sql; columns: string[] } {
  const columns = Object.keys(rows[0] ?? {});
  const list = Prisma.raw(columns.map((column) => `"${column}"`).join(', '));
  const name = Prisma.raw(`"${table}"`);
  return {
    insert: Prisma.sql`INSERT INTO ${name} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${name}, ${JSON.stringify(rows)}::jsonb)`,
    columns,
  };
}

/** Inserts `rows` into `table` in one statement (see insertFromJson), answering the rows inserted. */
export function insertRows(table: string, rows: readonly Record<string, unknown>[]): Prisma.Sql {
  return Prisma.sql`${insertFromJson(table, rows).insert} RETURNING *`;
}

/**
 * Inserts `rows` into `table` in one statement (see insertFromJson), updating the row already there on `conflict`
 * (one unique column). Columns in `keep` are written on insert only. A conflict value twice keeps its last row (a
 * statement may not update a row twice).
 */
export function upsertRows(table: string, conflict: string, rows: readonly Record<string, unknown>[], keep: readonly string[] = []): Prisma.Sql {
  const last = [...new Map(rows.map((row) => [String(row[conflict]), row])).values()];
  const { insert, columns } = insertFromJson(table, last);
  const updates = columns.filter((column) => column !== conflict && !keep.includes(column));
  const set = Prisma.raw(updates.map((column) => `"${column}" = EXCLUDED."${column}"`).join(', '));
  return Prisma.sql`${insert} ON CONFLICT (${Prisma.raw(`"${conflict}"`)}) DO UPDATE SET ${set}`;
}

/**
 * Upserts into `table` (see upsertRows) where concurrent callers' rows go as one statement (see GroupCommit), each
 * stamped with createdAt (kept on update, with `keep`) and updatedAt.
 */
export function batchedUpserts(db: SqlRunner, table: string, conflict: string, keep: readonly string[] = []): GroupCommit<Record<string, unknown>> {
  return new GroupCommit<Record<string, unknown>>(async (rows) => {
    const now = new Date().toISOString();
    await db.execute(upsertRows(table, conflict, rows.map((row) => ({ ...row, createdAt: now, updatedAt: now })), [...keep, 'createdAt']));
    return [];
  });
}
