import { Injectable, Logger } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { OutcomeRepository, type ComplaintCategoryName, type OutcomeDisposition, type OutcomePatch } from '#libs/db';
import { JobQueues } from '#libs/queue';
import { RequestValidationError } from '../common/request-validation.error.js';

export const MAX_OUTCOMES_PER_IMPORT = 10_000;

export const OUTCOME_DISPOSITIONS: readonly OutcomeDisposition[] = ['connected', 'no_answer', 'busy', 'abandoned'];
export const COMPLAINT_CATEGORIES: readonly ComplaintCategoryName[] = ['unsolicited_marketing', 'content_violation', 'other'];
const FIELDS = ['callId', 'disposition', 'intentConfirmed', 'sale', 'csat', 'complaint'];
const CSV_COLUMNS: Record<string, string> = {
  call_id: 'callId',
  callid: 'callId',
  disposition: 'disposition',
  intent_confirmed: 'intentConfirmed',
  intentconfirmed: 'intentConfirmed',
  sale: 'sale',
  csat: 'csat',
  complaint_category: 'complaintCategory',
  complaintcategory: 'complaintCategory',
  complaint_note: 'complaintNote',
  complaintnote: 'complaintNote',
  complaint_received_at: 'complaintReceivedAt',
  complaintreceivedat: 'complaintReceivedAt',
};

export interface ParsedOutcome {
  /** where it came from: `outcomes.3` or `rows.4` (the CSV line) */
  source: string;
  callRef: string;
  patch: OutcomePatch;
}

export interface ImportReport {
  received: number;
  applied: number;
  callsUpdated: number;
  /** every reference that matched no call, with where it came from: never dropped silently */
  unknownCallIds: { source: string; callId: string }[];
  /** the touched calls' rollups, queued: their aggregates and alerts follow within seconds */
  rollupsQueued: number;
}

function booleanOf(raw: unknown, path: string, problems: string[]): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (['true', 'yes', 'y', '1'].includes(v)) return true;
    if (['false', 'no', 'n', '0'].includes(v)) return false;
  }
  problems.push(`${path}: must be true or false`);
  return undefined;
}

function parseOne(raw: Record<string, unknown>, source: string, problems: string[], csv: boolean): ParsedOutcome | null {
  const before = problems.length;
  if (!csv) for (const key of Object.keys(raw)) if (!FIELDS.includes(key)) problems.push(`${source}.${key}: not a known field`);
  const callRef = typeof raw.callId === 'string' ? raw.callId.trim() : '';
  if (!callRef) problems.push(`${source}.callId: required (the call id or the dialer's external id)`);
  const patch: OutcomePatch = {};
  if (raw.disposition !== undefined && raw.disposition !== null && raw.disposition !== '') {
    if (typeof raw.disposition === 'string' && (OUTCOME_DISPOSITIONS as readonly string[]).includes(raw.disposition)) patch.disposition = raw.disposition as OutcomeDisposition;
    else problems.push(`${source}.disposition: must be one of ${OUTCOME_DISPOSITIONS.join(', ')}`);
  }
  const intent = booleanOf(raw.intentConfirmed, `${source}.intentConfirmed`, problems);
  if (intent !== undefined) patch.intentConfirmed = intent;
  const sale = booleanOf(raw.sale, `${source}.sale`, problems);
  if (sale !== undefined) patch.sale = sale;
  if (raw.csat !== undefined && raw.csat !== null && raw.csat !== '') {
    const n = typeof raw.csat === 'number' ? raw.csat : typeof raw.csat === 'string' ? Number(raw.csat) : Number.NaN;
    if (Number.isInteger(n) && n >= 1 && n <= 5) patch.csat = n;
    else problems.push(`${source}.csat: must be a whole number from 1 to 5`);
  }
  const complaint = csv
    ? raw.complaintCategory || raw.complaintNote
      ? { category: raw.complaintCategory, note: raw.complaintNote || undefined, receivedAt: raw.complaintReceivedAt || undefined }
      : undefined
    : raw.complaint;
  if (complaint !== undefined && complaint !== null) {
    const path = csv ? `${source}.complaint_category` : `${source}.complaint`;
    if (typeof complaint !== 'object' || Array.isArray(complaint)) problems.push(`${path}: must be an object { category, note?, receivedAt? }`);
    else {
      const c = complaint as Record<string, unknown>;
      const category = typeof c.category === 'string' && (COMPLAINT_CATEGORIES as readonly string[]).includes(c.category) ? (c.category as ComplaintCategoryName) : null;
      if (!category) problems.push(`${csv ? path : `${path}.category`}: must be one of ${COMPLAINT_CATEGORIES.join(', ')}`);
      if (c.note !== undefined && typeof c.note !== 'string') problems.push(`${path}.note: must be text`);
      const receivedAt = c.receivedAt === undefined ? undefined : typeof c.receivedAt === 'string' ? new Date(c.receivedAt) : null;
      if (receivedAt === null || (receivedAt && Number.isNaN(receivedAt.getTime()))) problems.push(`${path}.receivedAt: must be an ISO 8601 date-time`);
      if (category) patch.complaint = { category, note: typeof c.note === 'string' ? c.note : undefined, receivedAt: receivedAt ?? undefined };
    }
  }
  if (problems.length === before && Object.keys(patch).length === 0) {
    problems.push(`${source}: no outcome given (disposition, intentConfirmed, sale, csat or complaint)`);
  }
  return problems.length === before ? { source, callRef, patch } : null;
}

/** Reads outcome records from JSON; throws RequestValidationError naming every bad field. */
export function parseOutcomeJson(body: unknown): ParsedOutcome[] {
  const list = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).outcomes : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new RequestValidationError(['outcomes: must be a non-empty array']);
  if (list.length > MAX_OUTCOMES_PER_IMPORT) throw new RequestValidationError([`outcomes: at most ${MAX_OUTCOMES_PER_IMPORT} per import`]);
  const problems: string[] = [];
  const parsed = list.map((item, i) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? parseOne(item as Record<string, unknown>, `outcomes.${i}`, problems, false)
      : (problems.push(`outcomes.${i}: must be an object`), null),
  );
  if (problems.length) throw new RequestValidationError(problems);
  return parsed.filter((p): p is ParsedOutcome => p !== null);
}

/** Reads outcome records from CSV with a header row (call_id, disposition, intent_confirmed, sale, csat, complaint_category, complaint_note). */
export function parseOutcomeCsv(content: string): ParsedOutcome[] {
  let records: string[][];
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new RequestValidationError([`file: not readable as CSV (${(error as Error).message})`]);
  }
  if (records.length < 2) throw new RequestValidationError(['file: needs a header row and at least one outcome row']);
  const header = records[0].map((h) => h.toLowerCase().replace(/[\s-]/g, '_'));
  const unknown = header.filter((h) => !CSV_COLUMNS[h]);
  const problems = unknown.map((h) => `file.header.${h}: not a known column (${Object.keys(CSV_COLUMNS).filter((k) => k.includes('_') || k === 'sale' || k === 'csat' || k === 'disposition').join(', ')})`);
  if (!header.some((h) => CSV_COLUMNS[h] === 'callId')) problems.push('file.header.call_id: required column');
  if (problems.length) throw new RequestValidationError(problems);
  if (records.length - 1 > MAX_OUTCOMES_PER_IMPORT) throw new RequestValidationError([`file: at most ${MAX_OUTCOMES_PER_IMPORT} rows per import`]);
  const parsed = records.slice(1).map((cells, i) => {
    const row: Record<string, unknown> = {};
    header.forEach((h, j) => (row[CSV_COLUMNS[h]] = cells[j]));
    // rows are numbered as the file's lines, header being line 1
    return parseOne(row, `rows.${i + 2}`, problems, true);
  });
  if (problems.length) throw new RequestValidationError(problems);
  return parsed.filter((p): p is ParsedOutcome => p !== null);
}

/**
 * Applies imported outcomes to known calls and reports unknown ones; the aggregates of every call touched are updated
 * by its rollup stage, queued here (a large import must not roll up inside the request).
 */
@Injectable()
export class OutcomeImportService {
  private readonly logger = new Logger(OutcomeImportService.name);

  constructor(
    private readonly outcomes: OutcomeRepository,
    private readonly queues: JobQueues,
  ) {}

  async import(records: readonly ParsedOutcome[]): Promise<ImportReport> {
    const resolved = await this.outcomes.resolveCalls(records.map((r) => r.callRef));
    const unknownCallIds: ImportReport['unknownCallIds'] = [];
    const touched = new Set<string>();
    let applied = 0;
    for (const record of records) {
      const callId = resolved.get(record.callRef);
      if (!callId) {
        unknownCallIds.push({ source: record.source, callId: record.callRef });
        continue;
      }
      await this.outcomes.apply(callId, record.patch);
      touched.add(callId);
      applied++;
    }
    for (const callId of touched) await this.queues.enqueue('rollup', callId);
    this.logger.log(`outcomes imported: ${applied} applied to ${touched.size} calls, ${unknownCallIds.length} unknown`);
    return { received: records.length, applied, callsUpdated: touched.size, unknownCallIds, rollupsQueued: touched.size };
  }
}
