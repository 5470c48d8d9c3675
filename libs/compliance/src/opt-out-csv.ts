import { parse } from 'csv-parse/sync';
import { normalisePhone } from './phone-number.js';

export interface OptOutCsvRow {
  phone: string;
  source: 'import' | 'sms_unsubscribe' | 'manual';
  effectiveAt?: Date;
  evidence?: string;
}

export interface OptOutCsvResult {
  rows: OptOutCsvRow[];
  /** each names its line and column: `line 3: phone: not a valid number` */
  errors: string[];
}

const SOURCES = new Set(['import', 'sms_unsubscribe', 'manual']);
const PHONE_COLUMNS = ['phone', 'phone_number', 'number', 'msisdn', 'e164'];

/**
 * Parses an opt-out CSV with a header row: phone (required), country (for numbers without +), source
 * (import | sms_unsubscribe | manual, default import), effective_at (ISO 8601, default now on import), evidence.
 */
export function parseOptOutCsv(text: string, defaultCountry?: string): OptOutCsvResult {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_')),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
    });
  } catch (error) {
    return { rows: [], errors: [`file: not valid CSV (${(error as Error).message})`] };
  }
  const first = records[0];
  const phoneColumn = first ? PHONE_COLUMNS.find((c) => c in first) : undefined;
  if (!phoneColumn) return { rows: [], errors: [`header: a "phone" column is required (got ${first ? Object.keys(first).join(', ') : 'no rows'})`] };
  const rows: OptOutCsvRow[] = [];
  const errors: string[] = [];
  records.forEach((record, i) => {
    const line = i + 2;
    const problems: string[] = [];
    const phone = normalisePhone(record[phoneColumn] ?? '', record['country'] || defaultCountry);
    if (!phone.ok) problems.push(`line ${line}: phone: ${phone.reason} ("${record[phoneColumn] ?? ''}")`);
    const source = record['source'] || 'import';
    if (!SOURCES.has(source)) problems.push(`line ${line}: source: must be import, sms_unsubscribe or manual (got "${source}")`);
    let effectiveAt: Date | undefined;
    if (record['effective_at']) {
      effectiveAt = new Date(record['effective_at']);
      if (Number.isNaN(effectiveAt.getTime())) problems.push(`line ${line}: effective_at: not an ISO 8601 date-time ("${record['effective_at']}")`);
    }
    if (problems.length > 0 || !phone.ok) {
      errors.push(...problems);
      return;
    }
    rows.push({
      phone: phone.e164,
      source: source as OptOutCsvRow['source'],
      ...(effectiveAt ? { effectiveAt } : {}),
      ...(record['evidence'] ? { evidence: record['evidence'] } : {}),
    });
  });
  return { rows, errors };
}
