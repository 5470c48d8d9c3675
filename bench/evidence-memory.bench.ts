/**
 * node dist/bench/evidence-memory.bench.js — issue 18: the API's memory while three 200-MB evidence bundles download
 * at once. Starts the API alone (no worker: the calls stay queued, which a bundle does not mind) on loopback with local
 * storage, uploads three distinct 200-MB WAVs streamed from disk, then downloads the three bundles concurrently and
 * samples the API's RSS. The last line is one JSON object. EARSHOT_MAIN names another build's main.js to compare.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { applyMigrations } from '#libs/db';
import { ROOT } from '../scripts/stack/earshot-stack.js';
import { freePort } from '../scripts/free-port.js';

const MB = 1024 * 1024;
const RECORDING_BYTES = Number(process.env.BUNDLE_MB ?? 200) * MB;
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function writeWav(path: string, bytes: number): Promise<void> {
  const header = Buffer.alloc(44);
  const dataBytes = bytes - 44;
  header.write('RIFF', 0);
  header.writeUInt32LE(bytes - 8, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // stereo
  header.writeUInt32LE(48_000, 24);
  header.writeUInt32LE(48_000 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  const out = createWriteStream(path);
  out.write(header);
  for (let written = 0; written < dataBytes; written += MB) {
    // noise: as incompressible as real audio can be, and distinct per call (the sha256 is the duplicate key)
    const chunk = randomBytes(MB);
    if (!out.write(written + chunk.length > dataBytes ? chunk.subarray(0, dataBytes - written) : chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024);
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'earshot-bench-'));
  const database = `earshot_bench_${process.pid}`;
  const databaseUrl = POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  let api: ChildProcess | undefined;
  try {
    await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const admin = { email: 'admin@earshot.test', password: 'correct horse battery staple' };
    api = spawn(process.execPath, ['--experimental-wasm-modules', process.env.EARSHOT_MAIN ?? join(ROOT, 'dist/composition/main.js')], {
      env: {
        ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl,
        QUEUE_PREFIX: `bench-${process.pid}`, STORAGE_DIR: join(work, 'storage'), ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password,
        UPLOAD_MAX_BYTES: String(RECORDING_BYTES + MB), S3_ENDPOINT: '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let tries = 0; ; tries++) {
      if ((await fetch(`${baseUrl}/health`).catch(() => null))?.ok) break;
      if (tries > 300) throw new Error('the API did not start');
      await sleep(200);
    }
    const login = (await (await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) })).json()) as { token: string };
    const auth = { authorization: `Bearer ${login.token}` };
    const sample = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { metadata: Record<string, unknown> }[];
    const transcript = await readFile(join(ROOT, 'samples/audio/en-compliant.transcript.json'));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const path = join(work, `call-${i}.wav`);
      await writeWav(path, RECORDING_BYTES);
      const form = new FormData();
      form.set('audio', await openAsBlob(path, { type: 'audio/wav' }), 'call.wav');
      form.set('metadata', JSON.stringify({ ...sample[0]?.metadata, externalId: `bench-bundle-${i}` }));
      form.set('transcript', new Blob([transcript], { type: 'application/json' }), 'transcript.json');
      const upload = await fetch(`${baseUrl}/v1/calls`, { method: 'POST', headers: auth, body: form });
      if (upload.status !== 201) throw new Error(`upload ${i}: ${upload.status} ${await upload.text()}`);
      ids.push(((await upload.json()) as { id: string }).id);
      await rm(path);
    }
    const pid = api.pid as number;
    await sleep(1000);
    const before = await rssMb(pid, 'VmRSS');
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await rssMb(pid, 'VmRSS'));
        await sleep(50);
      }
    })();
    const started = Date.now();
    const sizes = await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${baseUrl}/v1/calls/${id}/evidence-bundle`, { headers: auth });
        if (response.status !== 200 || !response.body) throw new Error(`bundle ${id}: ${response.status}`);
        let bytes = 0;
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.length;
        }
        return bytes;
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    const result = {
      bench: 'evidence-memory',
      bundles: 3,
      recordingMb: RECORDING_BYTES / MB,
      bundleMb: sizes.map((size) => Math.round((size / MB) * 10) / 10),
      seconds,
      apiRssBeforeMb: Math.round(before),
      apiRssPeakMb: Math.round(peak),
      apiRssGrowthMb: Math.round(peak - before),
      target: 'peak < 500 MB',
      meetsTarget: peak < 500,
    };
    console.log(JSON.stringify(result));
  } finally {
    api?.kill('SIGTERM');
    if (api) await once(api, 'exit').catch(() => undefined);
    await rm(work, { recursive: true, force: true });
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
