/** Downloads rows as a CSV file (UTF-8 with a BOM so spreadsheet programs read Chinese names right); papaparse is loaded on first use. */
export async function downloadCsv(filename: string, rows: Record<string, string | number | null>[]): Promise<void> {
  const { unparse } = await import('papaparse');
  const text = unparse(rows, { quotes: false, newline: '\r\n' });
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
