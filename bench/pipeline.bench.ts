/**
 * npm run bench:pipeline [-- --calls N --workers W --batch B] — N calls (default 1,000) uploaded over HTTP with sidecar
 * transcripts and run through every stage (transcribe, analyse-audio, check, score, clip, rollup), with the built API
 * and W worker processes (default 1; 0 measures the uploads alone) as production runs them (scripts/stack), on the
 * real Postgres (a fresh database) and Redis (a fresh prefix), objects in a local folder. Recordings are 2 s mono WAVs, each distinct (the ingest
 * dedupes by sha256), so the figures are the pipeline's orchestration and persistence. --batch B sends B calls a
 * request to POST /v1/calls/batch (a dialer's batch) instead of one a request to POST /v1/calls. Prints calls/s and the CPU
 * each process (the bench's own uploads too) used per call; the last line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ROOT, startStack } from '../scripts/stack/earshot-stack.js';
import { distinctQuietWav } from '../scripts/stack/quiet-wav.js';

const CALLS = Number(argument('--calls') ?? 1000);
const WORKERS = Number(argument('--workers') ?? 1);
const BATCH = Number(argument('--batch') ?? 1);
const UPLOAD_CONCURRENCY = Number(argument('--upload-concurrency') ?? (BATCH > 1 ? 4 : 16));

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const stack = await startStack({ logDir: join(ROOT, 'test-results/bench-pipeline'), storage: 'local', workers: WORKERS, env: { LOG_LEVEL: 'warn' } });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  try {
    await db.connect();
    const sample = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
    const compliant = sample.find((s) => s.name === 'en-compliant');
    if (!compliant) throw new Error('samples/calls.json has no en-compliant call');
    const transcript = await readFile(join(ROOT, 'samples/audio/en-compliant.transcript.json'));
    const recordings = Array.from({ length: CALLS }, distinctQuietWav);
    const suffix = randomBytes(4).toString('hex');

    const requests = BATCH > 1 ? `batches of ${BATCH}` : 'one call a request';
    console.log(`bench:pipeline — ${CALLS} calls (${requests}), upload concurrency ${UPLOAD_CONCURRENCY}, API + ${WORKERS} worker process(es)`);
    const cpuBefore = await processCpuSeconds();
    // the bench's own uploads run on the same cores as the stack
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const uploadLatencies: number[] = [];
    const metadataOf = (index: number) => ({
      ...compliant.metadata,
      externalId: `bench-${suffix}-${index}`,
      agentExternalId: `agent-${index % 50}`,
      // distinct customers, as a centre's day has: one number called 1,000 times would make every call's
      // dial-frequency check read all the calls before it
      customerPhone: `+1212${String(2_000_000 + index).padStart(7, '0')}`,
      channelLayout: 'mono',
    });
    const upload = async (): Promise<void> => {
      while (next < CALLS) {
        const indexes = Array.from({ length: Math.min(BATCH, CALLS - next) }, () => next++);
        const form = new FormData();
        for (const index of indexes) {
          form.append('audio', new Blob([recordings[index]], { type: 'audio/wav' }), `call-${index}.wav`);
          form.append('transcript', new Blob([transcript], { type: 'application/json' }), 'transcript.json');
        }
        form.set('metadata', JSON.stringify(BATCH > 1 ? indexes.map(metadataOf) : metadataOf(indexes[0] as number)));
        const t0 = performance.now();
        const response = await stack.adminFetch(BATCH > 1 ? '/v1/calls/batch' : '/v1/calls', { method: 'POST', body: form });
        uploadLatencies.push(performance.now() - t0);
        const expected = BATCH > 1 ? 200 : 201;
        if (response.status !== expected) throw new Error(`upload ${indexes[0]}: ${response.status} ${await response.text()}`);
        if (BATCH > 1) {
          const answer = (await response.json()) as { created: number };
          if (answer.created !== indexes.length) throw new Error(`batch from ${indexes[0]}: ${answer.created} of ${indexes.length} created`);
        }
      }
    };
    await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, upload));
    const uploadedMs = performance.now() - started;

    let lastReport = 0;
    // --workers 0: the uploads alone (the API's share), nothing processes the calls
    for (; WORKERS > 0; ) {
      const { rows } = await db.query<{ done: string; failed: string }>(
        `SELECT count(*) FILTER (WHERE status IN ('completed', 'failed')) AS done, count(*) FILTER (WHERE status = 'failed') AS failed FROM "Call"`,
      );
      const finished = Number(rows[0].done);
      if (finished >= CALLS) {
        if (Number(rows[0].failed) > 0) throw new Error(`${rows[0].failed} calls failed`);
        break;
      }
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.log(`  ${finished}/${CALLS} finished after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      await sleep(50);
    }
    const totalMs = performance.now() - started;
    const cpuAfter = await processCpuSeconds();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const cpuMsPerCall = {
      ...Object.fromEntries(Object.entries(cpuAfter).map(([name, seconds]) => [name, Math.round(((seconds - (cpuBefore[name] ?? 0)) * 10_000) / CALLS) / 10])),
      bench: Math.round((benchCpu.user + benchCpu.system) / 100 / CALLS) / 10,
    };
    uploadLatencies.sort((a, b) => a - b);
    const result = {
      bench: 'pipeline',
      calls: CALLS,
      workers: WORKERS,
      batch: BATCH,
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(1)} at the end`,
      uploadCallsPerSecond: Number((CALLS / (uploadedMs / 1000)).toFixed(1)),
      uploadP50Ms: Math.round(percentile(uploadLatencies, 0.5)),
      uploadP95Ms: Math.round(percentile(uploadLatencies, 0.95)),
      endToEndCallsPerSecond: WORKERS > 0 ? Number((CALLS / (totalMs / 1000)).toFixed(1)) : null,
      totalSeconds: Number((totalMs / 1000).toFixed(1)),
      cpuMsPerCall,
    };
    console.log(`  CPU per call (ms): ${Object.entries(cpuMsPerCall).map(([name, ms]) => `${name} ${ms}`).join(', ')}`);
    const endToEnd = WORKERS > 0 ? `end to end: ${result.endToEndCallsPerSecond} calls/s (target >= 200); ` : '';
    console.log(`  ${endToEnd}uploads ${result.uploadCallsPerSecond} calls/s (target >= 200)`);
    console.log(JSON.stringify(result));
  } finally {
    await db.end().catch(() => undefined);
    await stack.stop();
  }
}

/**
 * CPU seconds used so far by the processes the bench loads, read from /proc: the API and worker processes of the
 * stack, Postgres backends and Redis (Linux only; an empty figure elsewhere).
 */
async function processCpuSeconds(): Promise<Record<string, number>> {
  const { readdir } = await import('node:fs/promises');
  const ticks = 100;
  const totals: Record<string, number> = {};
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticks;
      const name = cmdline.includes('composition/main.js')
        ? 'api'
        : cmdline.includes('apps/worker/src/main.js')
          ? 'workers'
          : cmdline.startsWith('postgres')
            ? 'postgres'
            : cmdline.includes('redis-server')
              ? 'redis'
              : null;
      if (name) totals[name] = (totals[name] ?? 0) + seconds;
    } catch {
      // the process ended while it was read
    }
  }
  return totals;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
