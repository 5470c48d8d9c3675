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

export function decodePageCursor(cursor: string): PageCursor {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!isUuid(id) || Number.isNaN(createdAt.getTime())) throw new InvalidCursorError();
  return { createdAt, id };
}
