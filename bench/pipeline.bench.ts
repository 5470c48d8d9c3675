/**
 * npm run bench:pipeline [-- --calls N] — N calls (default 1,000) uploaded over HTTP with sidecar transcripts and
 * run through every stage (transcribe, analyse-audio, check, score, clip, rollup) by the workers in this process,
 * on the real Postgres (a fresh database) and Redis (a fresh prefix). Recordings are 2 s mono WAVs, each distinct
 * (the ingest dedupes by sha256), so the figures are the pipeline's orchestration and persistence, plus one ffprobe
 * per call. Prints calls/s and per-stage p50/p95; the last line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { applyMigrations } from '../libs/db/src/migrate/index.js';
import { deleteQueueKeys } from '../libs/pipeline/src/redis-connection.js';
import { firstAdminEnv, signIn } from '../scripts/sign-in.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CALLS = Number(argument('--calls') ?? 1000);
const BENCH_ADMIN = 'bench@earshot.local';
const UPLOAD_CONCURRENCY = Number(argument('--upload-concurrency') ?? 16);

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** 2 s of quiet 8 kHz 16-bit mono PCM with a random tail, so every call has its own sha256. */
function distinctWav(): Buffer {
  const samples = 16_000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples * 2, 40);
  const body = Buffer.alloc(samples * 2);
  randomBytes(64).copy(body, body.length - 64);
  return Buffer.concat([header, body]);
}

function percentile(sorted: number[], q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const database = `earshot_bench_${suffix}`;
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  const storageDir = await mkdtemp(join(tmpdir(), 'earshot-bench-'));
  const prefix = `bench-${suffix}`;
  await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
  Object.assign(process.env, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    STORAGE_DIR: storageDir,
    ...firstAdminEnv(BENCH_ADMIN),
  });

  const { createEarshotApp } = await import('../composition/earshot-app.js');
  const { PipelineWorkerHost } = await import('../libs/pipeline/src/index.js');
  const app = await createEarshotApp({ withWorker: true });
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    const baseUrl = `http://127.0.0.1:${port}`;
    const authorization = await signIn(baseUrl, BENCH_ADMIN, process.env.ADMIN_PASSWORD ?? '');
    await db.connect();

    const sample = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
    const compliant = sample.find((s) => s.name === 'en-compliant');
    if (!compliant) throw new Error('samples/calls.json has no en-compliant call');
    const transcript = await readFile(join(ROOT, 'samples/audio/en-compliant.transcript.json'));
    const recordings = Array.from({ length: CALLS }, distinctWav);

    console.log(`bench:pipeline — ${CALLS} calls, upload concurrency ${UPLOAD_CONCURRENCY}, database ${database}, prefix ${prefix}`);
    const started = performance.now();
    let next = 0;
    const uploadLatencies: number[] = [];
    const upload = async (): Promise<void> => {
      while (next < CALLS) {
        const index = next++;
        const form = new FormData();
        form.set('audio', new Blob([recordings[index]], { type: 'audio/wav' }), `call-${index}.wav`);
        form.set(
          'metadata',
          JSON.stringify({
            ...compliant.metadata,
            externalId: `bench-${suffix}-${index}`,
            agentExternalId: `agent-${index % 50}`,
            channelLayout: 'mono',
          }),
        );
        form.set('transcript', new Blob([transcript], { type: 'application/json' }), 'transcript.json');
        const t0 = performance.now();
        const response = await fetch(`${baseUrl}/v1/calls`, { method: 'POST', body: form, headers: { authorization } });
        uploadLatencies.push(performance.now() - t0);
        if (response.status !== 201) throw new Error(`upload ${index}: ${response.status} ${await response.text()}`);
      }
    };
    await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, upload));
    const uploadedMs = performance.now() - started;

    let finished = 0;
    let lastReport = 0;
    for (;;) {
      const { rows } = await db.query<{ done: string; failed: string }>(
        `SELECT count(*) FILTER (WHERE status IN ('completed', 'failed')) AS done, count(*) FILTER (WHERE status = 'failed') AS failed FROM "Call"`,
      );
      finished = Number(rows[0].done);
      if (finished >= CALLS) {
        if (Number(rows[0].failed) > 0) throw new Error(`${rows[0].failed} calls failed`);
        break;
      }
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.log(`  ${finished}/${CALLS} finished after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      await sleep(100);
    }
    const totalMs = performance.now() - started;
    const stages = app.get(PipelineWorkerHost).timings.summary();
    uploadLatencies.sort((a, b) => a - b);
    const result = {
      bench: 'pipeline',
      calls: CALLS,
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
      uploadCallsPerSecond: Number((CALLS / (uploadedMs / 1000)).toFixed(1)),
      uploadP50Ms: Math.round(percentile(uploadLatencies, 0.5)),
      uploadP95Ms: Math.round(percentile(uploadLatencies, 0.95)),
      endToEndCallsPerSecond: Number((CALLS / (totalMs / 1000)).toFixed(1)),
      totalSeconds: Number((totalMs / 1000).toFixed(1)),
      stages,
    };
    for (const [stage, t] of Object.entries(stages)) console.log(`  ${stage.padEnd(14)} p50 ${t.p50Ms} ms  p95 ${t.p95Ms} ms  (${t.count} jobs)`);
    console.log(`  end to end: ${result.endToEndCallsPerSecond} calls/s (target >= 200); uploads ${result.uploadCallsPerSecond} calls/s`);
    console.log(JSON.stringify(result));
  } finally {
    await app.close();
    await db.end().catch(() => undefined);
    await cleanUp(database, prefix, storageDir);
  }
}

async function cleanUp(database: string, prefix: string, storageDir: string): Promise<void> {
  await rm(storageDir, { recursive: true, force: true });
  await deleteQueueKeys(REDIS_URL, prefix);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
