import { Prisma } from '../generated/prisma/client.js';

/**
 * One statement that inserts `rows` into `table`, updating the row already there on `conflict` (one unique column):
 * each row object's keys are the columns written, typed by the table itself (jsonb_populate_recordset), so enums,
 * uuids, timestamps (ISO text, UTC) and JSON need no casts. Every row must carry the same keys, NOT NULL columns
 * with defaults included (the statement writes what it is given). Columns in `keep` are written on insert only. A
 * conflict value twice keeps its last row (a statement may not update a row twice). Table and column names are code
 * constants, never input.
 */
export function upsertRows(table: string, conflict: string, rows: readonly Record<string, unknown>[], keep: readonly string[] = []): Prisma.Sql {
  const last = [...new Map(rows.map((row) => [String(row[conflict]), row])).values()];
  const columns = Object.keys(last[0] ?? {});
  const list = Prisma.raw(columns.map((column) => `"${column}"`).join(', '));
  const updates = columns.filter((column) => column !== conflict && !keep.includes(column));
  const set = Prisma.raw(updates.map((column) => `"${column}" = EXCLUDED."${column}"`).join(', '));
  return Prisma.sql`
    INSERT INTO ${Prisma.raw(`"${table}"`)} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${Prisma.raw(`"${table}"`)}, ${JSON.stringify(last)}::jsonb)
    ON CONFLICT (${Prisma.raw(`"${conflict}"`)}) DO UPDATE SET ${set}`;
}
