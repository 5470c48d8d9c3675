import Papa from 'papaparse';
import { api, queryString } from '../api.js';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** The rows as CSV text (RFC 4180 quoting by papaparse), headers in the reader's language. */
export function toCsv<T>(rows: T[], columns: CsvColumn<T>[]): string {
  return Papa.unparse({ fields: columns.map((c) => c.header), data: rows.map((row) => columns.map((c) => c.value(row) ?? '')) });
}

/** Saves text as a file; a byte-order mark first so spreadsheet programs read Chinese as UTF-8. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every row of a cursor-paginated list (up to `max`), following nextCursor with the same filters. */
export async function fetchAllPages<T>(path: string, params: Record<string, string | undefined>, pageSize: number, max = 10_000): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<{ items: T[]; nextCursor?: string | null }>(`${path}${queryString({ ...params, limit: pageSize, cursor })}`);
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < max);
  return rows.slice(0, max);
}
