/** A page position in a newest-first list: the last row's createdAt and id. */
export interface KeysetCursor {
  createdAt: Date;
  id: string;
}

export interface KeysetPage {
  limit: number;
  cursor?: KeysetCursor;
}

/** Rows after the cursor in (createdAt desc, id desc) order; pair with NEWEST_FIRST. */
export function keysetBefore(cursor: KeysetCursor | undefined) {
  return cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {};
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
