import { isUuid } from '#libs/domain';

/** Where a newest-first page ended: the last row's creation time and id (ids break ties). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('query.cursor: not a cursor this API returned');
    this.name = 'InvalidCursorError';
  }
}

/** The opaque cursor clients send back for the next page. */
export function encodePageCursor(last: PageCursor): string {
  return Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url');
}

/** Only what encodePageCursor writes: toISOString's form (years 0000–9999, so inside PostgreSQL's range) and a uuid. */
const ENCODED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function decodePageCursor(cursor: string): PageCursor {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [iso, id] = parts;
  if (parts.length !== 2 || !iso || !ENCODED_AT.test(iso) || !isUuid(id)) throw new InvalidCursorError();
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.getUTCFullYear() < 1) throw new InvalidCursorError();
  return { createdAt, id };
}
