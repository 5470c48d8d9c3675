/**
 * Earshot command line. `import <folder> --manifest calls.csv [--api URL] [--token T] [--state FILE] [--concurrency N]`
 * uploads each manifest row's audio (and optional transcript) to POST {api}/v1/calls, with a progress bar, and
 * resumes where it stopped: finished rows are appended to a state file (JSON lines) and skipped on the next run.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import cliProgress from 'cli-progress';

export interface ImportOptions {
  folder: string;
  manifest: string;
  api: string;
  token?: string;
  stateFile?: string;
  concurrency?: number;
  progress?: boolean;
  fetch?: typeof fetch;
}

export interface ImportSummary {
  total: number;
  skipped: number;
  created: number;
  existing: number;
  failed: Array<{ file: string; error: string }>;
}

const METADATA_FIELDS = [
  'externalId', 'agentExternalId', 'agentName', 'groupName', 'teamName', 'campaignExternalId', 'customerPhone',
  'customerCountry', 'direction', 'startedAt', 'timeZone', 'durationSeconds', 'disposition', 'channelLayout', 'language',
] as const;
const REQUIRED = ['file', 'agentExternalId', 'customerPhone', 'direction', 'startedAt', 'channelLayout'] as const;

type Row = Record<string, string>;

/** Validates one manifest row and builds the `metadata` JSON the API expects; throws naming the column. */
export function rowToMetadata(row: Row, line: number): Record<string, string | number> {
  for (const k of REQUIRED) if (!row[k]?.trim()) throw new Error(`manifest line ${line}: column '${k}' is empty`);
  if (row.direction !== 'inbound' && row.direction !== 'outbound') throw new Error(`manifest line ${line}: direction must be inbound or outbound, got '${row.direction}'`);
  if (row.channelLayout !== 'mono' && row.channelLayout !== 'stereo') throw new Error(`manifest line ${line}: channelLayout must be mono or stereo, got '${row.channelLayout}'`);
  if (Number.isNaN(Date.parse(row.startedAt))) throw new Error(`manifest line ${line}: startedAt '${row.startedAt}' is not an ISO date-time`);
  const meta: Record<string, string | number> = {};
  for (const k of METADATA_FIELDS) {
    const v = row[k]?.trim();
    if (!v) continue;
    if (k === 'durationSeconds') {
      if (!Number.isFinite(Number(v))) throw new Error(`manifest line ${line}: durationSeconds '${v}' is not a number`);
      meta[k] = Number(v);
    } else if (k === 'startedAt') meta[k] = new Date(v).toISOString();
    else meta[k] = v;
  }
  return meta;
}

async function readState(path: string): Promise<Set<string>> {
  const done = new Set<string>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return done;
    throw err;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { file?: string };
      if (entry.file) done.add(entry.file);
    } catch {
      // A line cut off by a crash mid-write: that row simply runs again (the API dedupes by audio hash).
    }
  }
  return done;
}

/** Uploads every manifest row not yet in the state file; failures are reported and left for the next run. */
export async function runImport(opts: ImportOptions): Promise<ImportSummary> {
  const doFetch = opts.fetch ?? fetch;
  const manifestPath = isAbsolute(opts.manifest) ? opts.manifest : resolve(opts.folder, opts.manifest);
  const rows = parse(await readFile(manifestPath), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Row[];
  const stateFile = opts.stateFile ?? join(opts.folder, '.earshot-import-state.jsonl');
  const done = await readState(stateFile);
  const summary: ImportSummary = { total: rows.length, skipped: 0, created: 0, existing: 0, failed: [] };
  const todo = rows.map((row, i) => ({ row, line: i + 2 })).filter(({ row }) => {
    if (done.has(row.file)) summary.skipped++;
    return !done.has(row.file);
  });
  const bar = opts.progress === false ? undefined : new cliProgress.SingleBar({ format: 'import [{bar}] {value}/{total} {file}', hideCursor: true }, cliProgress.Presets.shades_classic);
  bar?.start(rows.length, summary.skipped, { file: '' });
  const url = `${opts.api.replace(/\/$/, '')}/v1/calls`;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const { row, line } = todo[next++];
      try {
        const form = new FormData();
        const metadata = rowToMetadata(row, line);
        form.set('audio', await openAsBlob(resolve(opts.folder, row.file)), basename(row.file));
        form.set('metadata', JSON.stringify(metadata));
        if (row.transcript?.trim()) form.set('transcript', await openAsBlob(resolve(opts.folder, row.transcript)), basename(row.transcript));
        const res = await doFetch(url, { method: 'POST', body: form, headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
        const text = await res.text();
        if (res.status !== 201 && res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
        const callId = (JSON.parse(text) as { id?: string }).id;
        if (res.status === 201) summary.created++;
        else summary.existing++;
        await appendFile(stateFile, JSON.stringify({ file: row.file, status: res.status, callId, at: new Date().toISOString() }) + '\n');
      } catch (err) {
        summary.failed.push({ file: row.file, error: (err as Error).message });
      }
      bar?.increment(1, { file: row.file });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  bar?.stop();
  return summary;
}

function parseArgs(argv: string[]): { command?: string; positional: string[]; flags: Record<string, string> } {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      flags[k] = v ?? rest[++i] ?? '';
    } else positional.push(a);
  }
  return { command, positional, flags };
}

const USAGE = 'usage: earshot import <folder> --manifest calls.csv [--api http://localhost:3000] [--token T] [--state FILE] [--concurrency 4]';

export async function main(argv: string[]): Promise<number> {
  const { command, positional, flags } = parseArgs(argv);
  if (command !== 'import' || positional.length !== 1 || !flags.manifest) {
    console.error(USAGE);
    return 2;
  }
  const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
  // NaN would start no upload worker at all and report success.
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
    console.error(`--concurrency must be a whole number from 1 to 64, got '${flags.concurrency}'\n${USAGE}`);
    return 2;
  }
  const summary = await runImport({
    folder: positional[0],
    manifest: flags.manifest,
    api: flags.api ?? process.env.EARSHOT_API_URL ?? 'http://localhost:3000',
    token: flags.token ?? process.env.EARSHOT_API_TOKEN,
    stateFile: flags.state,
    concurrency,
  });
  for (const f of summary.failed) console.error(`failed: ${f.file}: ${f.error}`);
  console.log(`imported ${summary.created} new, ${summary.existing} already there, ${summary.skipped} skipped (done before), ${summary.failed.length} failed of ${summary.total}`);
  return summary.failed.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
