/**
 * npm run bench:pipeline [-- --calls N --workers W --batch B --warmup M] — N calls (default 1,000) uploaded over HTTP with sidecar
 * transcripts and run through every stage (transcribe, analyse-audio, check, score, clip, rollup), with the built API
 * and W worker processes (default 1; 0 measures the uploads alone) as production runs them (scripts/stack), on the
 * real Postgres (a fresh database) and Redis (a fresh prefix), objects in a local folder. Recordings are 2 s mono WAVs, each distinct (the ingest
 * dedupes by sha256), so the figures are the pipeline's orchestration and persistence. --batch B sends B calls a
 * request to POST /v1/calls/batch (a dialer's batch) instead of one a request to POST /v1/calls. M calls (default 1,000)
 * run through first, untimed, so the figures are a running service's, not a cold process's. Prints calls/s and the CPU
 * each process (the bench's own uploads too) used per call; the last line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
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
const WARMUP = Number(argument('--warmup') ?? 1000);
const UPLOAD_CONCURRENCY = Number(argument('--upload-concurrency') ?? (BATCH > 1 ? 4 : 16));

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface MultipartPart {
  name: string;
  content: string | Buffer;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body as a browser or an HTTP client library would send it. */
function multipartBody(parts: readonly MultipartPart[]): { body: Buffer; contentType: string } {
  const boundary = `----earshot-bench-${randomBytes(12).toString('hex')}`;
  const chunks = parts.flatMap((part) => {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.contentType ? `Content-Type: ${part.contentType}\r\n` : ''}\r\n`;
    return [Buffer.from(head), Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content), Buffer.from('\r\n')];
  });
  return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
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
    const suffix = randomBytes(4).toString('hex');

    const metadataOf = (phase: string, index: number) => ({
      ...compliant.metadata,
      externalId: `bench-${suffix}-${phase}-${index}`,
      agentExternalId: `agent-${index % 50}`,
      // distinct customers, as a centre's day has: one number called 1,000 times would make every call's
      // dial-frequency check read all the calls before it
      customerPhone: `+1212${String(2_000_000 + index).padStart(7, '0')}`,
      channelLayout: 'mono',
    });
    // node:http on kept-alive sockets: fetch (undici) cost the bench 1.3 ms of the two cores' CPU a request
    const agent = new Agent({ keepAlive: true, maxSockets: UPLOAD_CONCURRENCY });
    const url = new URL(stack.baseUrl);
    const post = (path: string, body: Buffer, contentType: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = httpRequest(
          { agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': contentType, 'content-length': body.length } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    /**
     * The requests for calls `first` .. `first + count - 1`, encoded before the clock starts as the recordings are: the
     * bench's client shares the stack's two cores, and what a dialer spends building its requests is not the pipeline's.
     */
    const prepare = (phase: string, first: number, count: number) => {
      const requests: { indexes: number[]; body: Buffer; contentType: string }[] = [];
      for (let from = first; from < first + count; from += BATCH) {
        const indexes = Array.from({ length: Math.min(BATCH, first + count - from) }, (_, i) => from + i);
        const parts: MultipartPart[] = [
          { name: 'metadata', content: JSON.stringify(BATCH > 1 ? indexes.map((i) => metadataOf(phase, i)) : metadataOf(phase, indexes[0] as number)) },
          ...indexes.flatMap((index): MultipartPart[] => [
            { name: 'audio', filename: `call-${index}.wav`, contentType: 'audio/wav', content: distinctQuietWav() },
            { name: 'transcript', filename: 'transcript.json', contentType: 'application/json', content: transcript },
          ]),
        ];
        requests.push({ indexes, ...multipartBody(parts) });
      }
      return { phase, count, requests };
    };

    /** Sends the requests and waits until each of their calls is completed (or failed: then it throws). */
    const runCalls = async ({ phase, count, requests }: ReturnType<typeof prepare>) => {
      const started = performance.now();
      const latencies: number[] = [];
      let next = 0;
      const upload = async (): Promise<void> => {
        while (next < requests.length) {
          const { indexes, body, contentType } = requests[next++] as (typeof requests)[number];
          const t0 = performance.now();
          const response = await post(BATCH > 1 ? '/v1/calls/batch' : '/v1/calls', body, contentType);
          latencies.push(performance.now() - t0);
          const expected = BATCH > 1 ? 200 : 201;
          if (response.status !== expected) throw new Error(`upload ${indexes[0]}: ${response.status} ${response.text}`);
          const answer = JSON.parse(response.text) as { created?: number };
          if (BATCH > 1 && answer.created !== indexes.length) throw new Error(`batch from ${indexes[0]}: ${answer.created} of ${indexes.length} created`);
        }
      };
      await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, upload));
      const uploadedMs = performance.now() - started;
      let lastReport = performance.now();
      // --workers 0: the uploads alone (the API's share), nothing processes the calls
      for (; WORKERS > 0; ) {
        const { rows } = await db.query<{ done: string; failed: string }>(
          `SELECT count(*) FILTER (WHERE status IN ('completed', 'failed')) AS done, count(*) FILTER (WHERE status = 'failed') AS failed
           FROM "Call" WHERE "externalId" LIKE $1`,
          [`bench-${suffix}-${phase}-%`],
        );
        const finished = Number(rows[0]?.done);
        if (finished >= count) {
          if (Number(rows[0]?.failed) > 0) throw new Error(`${rows[0]?.failed} calls failed`);
          break;
        }
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now();
          console.log(`  ${finished}/${count} finished after ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
        await sleep(50);
      }
      return { uploadedMs, totalMs: performance.now() - started, latencies: latencies.sort((a, b) => a - b) };
    };

    const shape = BATCH > 1 ? `batches of ${BATCH}` : 'one call a request';
    console.log(`bench:pipeline — ${CALLS} calls (${shape}) after ${WARMUP} to warm up, upload concurrency ${UPLOAD_CONCURRENCY}, API + ${WORKERS} worker process(es)`);
    // a service runs for days: the processes' first second (JIT, first batches) is not what a call costs
    const [warmup, timed] = [prepare('warmup', CALLS, WARMUP), prepare('timed', 0, CALLS)];
    if (WARMUP > 0) await runCalls(warmup);
    const cpuBefore = await processCpuSeconds();
    // the bench's own uploads run on the same cores as the stack
    const benchCpuBefore = process.cpuUsage();
    const { uploadedMs, totalMs, latencies: uploadLatencies } = await runCalls(timed);
    agent.destroy();
    const cpuAfter = await processCpuSeconds();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const cpuMsPerCall = {
      ...Object.fromEntries(Object.entries(cpuAfter).map(([name, seconds]) => [name, Math.round(((seconds - (cpuBefore[name] ?? 0)) * 10_000) / CALLS) / 10])),
      bench: Math.round((benchCpu.user + benchCpu.system) / 100 / CALLS) / 10,
    };
    const result = {
      bench: 'pipeline',
      calls: CALLS,
      warmupCalls: WARMUP,
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
