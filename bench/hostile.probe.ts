/**
 * npm run probe:hostile — the hostile-input probe of issue 18, repeatable and bounded: starts the production stack
 * on loopback (scripts/stack), sends a few thousand hostile requests (path segments, query values, JSON bodies,
 * upload metadata, duplicate and racing uploads, a catastrophic backtest regex), and prints the figures. The last
 * line is one JSON object.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Queue } from 'bullmq';
import { HOUSEKEEPING_SCHEDULER_ID, REDACTION_BACKFILL_SCHEDULER_ID, RETENTION_SWEEP_SCHEDULER_ID, SideQueueName, createRedisConnection, deleteQueueKeys } from '#libs/queue';
import { ROOT, type Stack, startStack } from '../scripts/stack/earshot-stack.js';
import { monoWav } from '../scripts/stack/quiet-wav.js';

const DEADLINE_MS = Number(process.env.PROBE_DEADLINE_MS ?? 8 * 60_000);
const CONCURRENCY = 8;

/** Values no field should turn into a 500. */
const HOSTILE: unknown[] = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d', '', ' ', 'x'.repeat(20_000), '../../etc/passwd', '%00', "'; DROP TABLE \"Call\"; --",
  '<script>alert(1)</script>', 'NaN', 'Infinity', '-1', '0', '1e308', '9223372036854775808', '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z', '0000-01-01', '20261120T101500Z', '2026-11-20T10:15:00', '2026-02-30', '😀', '\u202e',
  null, true, false, 0, -1, 1e308, -1e308, 2 ** 63, 1.5, [], ['\u0000'], {}, { __proto__: 1 }, { a: { b: { c: '\u0000' } } },
];
/** Strings that fit in a URL. */
const HOSTILE_STRINGS = HOSTILE.filter((v): v is string => typeof v === 'string' && v.length < 1000);

interface Tally {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: { what: string; status: number; body: string }[];
}

const tally: Tally = { requests: 0, byStatus: {}, serverErrors: [] };
const started = Date.now();
const timeLeft = () => DEADLINE_MS - (Date.now() - started);

async function record(what: string, response: Promise<Response>): Promise<number> {
  let status: number;
  let body: string;
  try {
    const r = await response;
    status = r.status;
    body = (await r.text()).slice(0, 300);
  } catch (error) {
    status = 599; // the connection broke: as bad as a 5xx
    body = (error as Error).message;
  }
  tally.requests++;
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
  if (status >= 500) tally.serverErrors.push({ what, status, body });
  return status;
}

/** Runs the tasks CONCURRENCY at a time, stopping when the deadline passes. */
async function pool(tasks: (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < tasks.length && timeLeft() > 0) await (tasks[next++] as () => Promise<unknown>)();
    }),
  );
}

/** Percent-encoding that also sends lone surrogates, as the raw (invalid) UTF-8 bytes an attacker would. */
function urlEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** A short mono 16-bit 8 kHz WAV whose bytes depend on `seed` (so its sha256 is its own). */
function wav(seed: number): Buffer {
  const b = monoWav(4000, (i) => Math.round(Math.sin((i * ((seed % 97) + 3)) / 10) * 3000) + (i === 0 ? seed % 1000 : 0));
  b.writeUInt32LE(seed, 44 + (4000 - 2) * 2);
  return b;
}

const metadata = (extra: Record<string, unknown> = {}) => ({
  agentExternalId: 'probe-agent',
  customerPhone: '+14155550123',
  direction: 'outbound',
  startedAt: '2026-11-20T10:15:00-08:00',
  channelLayout: 'mono',
  ...extra,
});

function transcript(text: string): Buffer {
  return Buffer.from(JSON.stringify({ format: 'earshot.transcript.v1', language: 'en', rolesSource: 'channel', segments: [{ speaker: 'agent', start: 0, end: 0.4, text }] }));
}

function upload(stack: Stack, what: string, parts: { audio: Buffer; metadata: unknown; transcript?: Buffer }): Promise<number> {
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(parts.audio)], { type: 'audio/wav' }), 'call.wav');
  form.set('metadata', typeof parts.metadata === 'string' ? parts.metadata : JSON.stringify(parts.metadata));
  if (parts.transcript) form.set('transcript', new Blob([new Uint8Array(parts.transcript)], { type: 'application/json' }), 'transcript.json');
  return record(what, stack.adminFetch('/v1/calls', { method: 'POST', body: form }));
}

const json = (stack: Stack, method: string, path: string, body: string, token = true) =>
  record(`${method} ${path} ${body.slice(0, 80)}`, token
    ? stack.adminFetch(path, { method, headers: { 'content-type': 'application/json' }, body })
    : fetch(`${stack.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body }));

/** JSON text for a body whose `field` holds `value` (a `__proto__` key written literally, as JSON.stringify would drop it). */
function bodyWith(base: Record<string, unknown>, field: string, value: unknown): string {
  const text = JSON.stringify({ ...base, [field]: value });
  return value !== null && typeof value === 'object' && '__proto__' in (value as object) ? text.replace(/\{\}(?=\}?$)/, '{"__proto__":1}') : text;
}

async function orphanObjects(stack: Stack): Promise<{ objects: number; orphans: string[] }> {
  const bucketDir = join(stack.s3Dir, stack.bucket);
  const files = await readdir(bucketDir, { recursive: true }).catch(() => [] as string[]);
  const keys = files.filter((f) => f.endsWith('._S3rver_object')).map((f) => f.replace(/\._S3rver_object$/, ''));
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const rows = (await db.query('SELECT "audioKey", "sidecarKey" FROM "Call"')).rows as { audioKey: string; sidecarKey: string | null }[];
    const referenced = new Set(rows.flatMap((r) => [r.audioKey, r.sidecarKey]).filter((k): k is string => k !== null));
    const owned = keys.filter((k) => k.startsWith('recordings/') || k.startsWith('transcripts/sidecar/'));
    return { objects: keys.length, orphans: owned.filter((k) => !referenced.has(k)) };
  } finally {
    await db.end();
  }
}

/** Calls whose stored sidecar is not the transcript their own upload sent (racing duplicates). */
async function mixedUpTranscripts(stack: Stack, sent: Map<string, string>): Promise<number> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const rows = (await db.query('SELECT "externalId", "sidecarKey" FROM "Call" WHERE "externalId" LIKE \'race-%\'')).rows as { externalId: string; sidecarKey: string }[];
    let mixed = 0;
    for (const row of rows) {
      const stored = await readFile(join(stack.s3Dir, stack.bucket, `${row.sidecarKey}._S3rver_object`), 'utf8').catch(() => '');
      if (!stored.includes(sent.get(row.externalId) ?? '\u0000')) mixed++;
    }
    return mixed;
  } finally {
    await db.end();
  }
}

/** The slowest /health over `ms` of polling every 20 ms: the baseline the backtest's figure is read against. */
async function healthMax(stack: Stack, ms: number): Promise<number> {
  let max = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const t = performance.now();
    await record('GET /health baseline', fetch(`${stack.baseUrl}/health`));
    max = Math.max(max, performance.now() - t);
    await sleep(20);
  }
  return Math.round(max);
}

async function healthDuringBacktest(stack: Stack): Promise<{ backtestStatus: number; healthMaxMs: number }> {
  const rule = { id: 'redos', version: 1, family: 'pressure_tactics', severity: 'major', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'any', match: { regex: '(a+)+c' } };
  const backtest = json(stack, 'POST', '/v1/rules/backtest', JSON.stringify({ rule }));
  let healthMaxMs = 0;
  let done = false;
  void backtest.finally(() => (done = true));
  do {
    const t = performance.now();
    await record('GET /health during backtest', fetch(`${stack.baseUrl}/health`));
    healthMaxMs = Math.max(healthMaxMs, performance.now() - t);
    await sleep(20);
  } while (!done);
  return { backtestStatus: await backtest, healthMaxMs: Math.round(healthMaxMs) };
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The target: no call left in the pipeline this long after Redis lost its data. */
const REDIS_LOSS_WAIT_MS = Number(process.env.PROBE_REDIS_LOSS_WAIT_MS ?? 5 * 60_000);
/** how long after the loss the periodic jobs' schedulers may take to come back: one SCHEDULER_CHECK_SECONDS (60) and a margin */
const SCHEDULER_WAIT_MS = 90_000;

/**
 * Redis loses its data (as a restart without persistence would) while calls are in the pipeline: counts the calls
 * still queued or processing after REDIS_LOSS_WAIT_MS (the reconciler should have re-queued them), and whether the
 * periodic jobs' schedulers came back without a worker restart.
 */
async function redisDataLoss(stack: Stack, seed: number): Promise<{ calls: number; leftInPipeline: number; settledAfterSeconds: number | null; schedulersBack: boolean }> {
  const ids: string[] = [];
  // the pipeline would finish 20 calls before Redis loses its data: the workers pause (SIGSTOP) from the first upload
  // to the loss, so the calls are queued, or mid-stage in a worker that wakes to find its jobs gone
  let paused = false;
  for (let i = 0; i < 20; i++) {
    if (i === 2) {
      for (const worker of stack.workers()) worker.kill('SIGSTOP');
      paused = true;
    }
    const form = new FormData();
    form.set('audio', new Blob([new Uint8Array(wav(seed + i))], { type: 'audio/wav' }), 'call.wav');
    form.set('metadata', JSON.stringify(metadata({ externalId: `redis-loss-${i}` })));
    form.set('transcript', new Blob([new Uint8Array(transcript(`redis loss ${i}`))], { type: 'application/json' }), 'transcript.json');
    const response = await stack.adminFetch('/v1/calls', { method: 'POST', body: form });
    if (response.status === 201) ids.push(((await response.json()) as { id: string }).id);
  }
  await deleteQueueKeys(REDIS_URL, stack.queuePrefix);
  if (paused) for (const worker of stack.workers()) worker.kill('SIGCONT');
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const lost = async () => Number((await db.query(`SELECT count(*) FROM "Call" WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'processing')`, [ids])).rows[0].count);
  const start = Date.now();
  let left = await lost();
  while (left > 0 && Date.now() - start < REDIS_LOSS_WAIT_MS) {
    await sleep(2000);
    left = await lost();
  }
  await db.end();
  const schedulers: [SideQueueName, string][] = [[SideQueueName.Retention, RETENTION_SWEEP_SCHEDULER_ID], [SideQueueName.Redaction, REDACTION_BACKFILL_SCHEDULER_ID], [SideQueueName.Maintenance, HOUSEKEEPING_SCHEDULER_ID]];
  // BullMQ under native ESM needs a constructed client, not connection options
  const connection = createRedisConnection(REDIS_URL);
  const queues = schedulers.map(([name, id]) => ({ queue: new Queue(name, { connection, prefix: stack.queuePrefix }), id }));
  const allBack = async () => (await Promise.all(queues.map(({ queue, id }) => queue.getJobScheduler(id)))).every(Boolean);
  // the workers check their schedulers every SCHEDULER_CHECK_SECONDS (60 by default)
  let schedulersBack = await allBack();
  while (!schedulersBack && Date.now() - start < SCHEDULER_WAIT_MS) {
    await sleep(2000);
    schedulersBack = await allBack();
  }
  await Promise.all(queues.map(({ queue }) => queue.close()));
  await connection.quit();
  return { calls: ids.length, leftInPipeline: left, settledAfterSeconds: left === 0 ? Math.round((Date.now() - start) / 1000) : null, schedulersBack };
}

async function main(): Promise<void> {
  const apiTmp = await mkdtemp(join(tmpdir(), 'earshot-probe-tmp-'));
  const stack = await startStack({ logDir: join(ROOT, 'test-results/probe-hostile'), env: { TMPDIR: apiTmp } });
  let seed = 1;
  try {
    // A call with a transcript of a's for the catastrophic pattern to chew on.
    await upload(stack, 'seed call', { audio: wav(seed++), metadata: metadata({ externalId: 'probe-seed' }), transcript: transcript(`${'a'.repeat(34)}`) });

    const tasks: (() => Promise<unknown>)[] = [];
    // 1. Upload metadata: every field of a valid upload replaced by every hostile value; fresh audio each time.
    for (const field of [...Object.keys(metadata()), 'externalId', 'agentName', 'groupName', 'teamName', 'campaignExternalId', 'timeZone', 'durationSeconds', 'disposition', 'language', 'customerCountry', '__proto__']) {
      for (const value of HOSTILE) {
        const s = seed++;
        tasks.push(() => upload(stack, `upload metadata.${field}=${JSON.stringify(value)?.slice(0, 40)}`, { audio: wav(s), metadata: bodyWith(metadata(), field, value), transcript: transcript('hello') }));
      }
    }
    // 2. Query values on list and report endpoints.
    const queries: [string, string[]][] = [
      ['/v1/calls', ['agent', 'team', 'campaign', 'status', 'from', 'to', 'cursor', 'limit', 'search', 'minScore', 'hasCriticalFinding', 'q', 'hasCritical', 'maxScore']],
      ['/v1/findings', ['status', 'family', 'severity', 'from', 'to', 'cursor', 'limit', 'campaign', 'assignedTo', 'ruleId', 'agent', 'team', 'q']],
      ['/v1/findings/counts', ['from', 'to', 'campaign']],
      ['/v1/audit', ['entityType', 'entityId', 'limit', 'cursor']],
      ['/v1/opt-outs', ['source', 'cursor', 'limit']],
      ['/v1/opt-outs/check', ['phone', 'country', 'at']],
      ['/v1/users', ['cursor', 'limit']],
      ['/v1/library/items', ['topic', 'label', 'from', 'to', 'cursor', 'limit']],
      ['/v1/library/collections', ['cursor', 'limit']],
      ['/v1/rules/precision', ['from', 'to']],
      ['/v1/evaluation/rankings', ['from', 'to', 'campaign', 'limit', 'by', 'team']],
      ['/v1/evaluation/teams', ['from', 'to']],
      ['/v1/alerts', ['from', 'to', 'status', 'level']],
      ['/v1/audit', ['actor', 'action', 'callId', 'from', 'to']],
      ['/v1/retention/schedule', ['campaign', 'cursor', 'limit']],
      ['/v1/opt-outs/webhook-deliveries', ['status', 'cursor', 'limit']],
      ['/v1/library/examples', ['topic', 'label', 'limit']],
    ];
    for (const [path, params] of queries) {
      for (const param of params) {
        for (const value of HOSTILE_STRINGS) tasks.push(() => record(`GET ${path}?${param}=${JSON.stringify(value).slice(0, 40)}`, stack.adminFetch(`${path}?${param}=${urlEncode(value)}`)));
      }
    }
    // 3. Path segments.
    const paths = ['/v1/calls/:x/status', '/v1/calls/:x/audio', '/v1/calls/:x/waveform', '/v1/calls/:x/evaluation/history', '/v1/calls/:x/evidence-bundle', '/v1/calls/:x/legal-hold', '/v1/campaigns/:x', '/v1/campaigns/:x/scorecards', '/v1/users/:x', '/v1/scorecards/:x', '/v1/findings/:x/reviews', '/v1/findings/:x/clip', '/v1/library/collections/:x', '/v1/evaluation/agents/:x', '/v1/evaluation/campaigns/:x', '/v1/evaluation/teams/:x', '/v1/evaluation/calls/:x'];
    for (const path of paths) {
      for (const value of HOSTILE_STRINGS.filter((v) => v !== '')) tasks.push(() => record(`GET ${path} x=${JSON.stringify(value).slice(0, 40)}`, stack.adminFetch(path.replace(':x', urlEncode(value)))));
    }
    // 4. JSON bodies.
    const bodies: [string, string, Record<string, unknown>][] = [
      ['POST', '/v1/opt-outs', { phone: '+14155550123', source: 'manual', effectiveAt: '2026-11-20T10:00:00Z', evidence: 'probe' }],
      ['PUT', '/v1/campaigns/probe-campaign', { agentChannel: 'left', retentionDays: 30, transcriptionModel: 'm' }],
      ['POST', '/v1/users', { email: 'probe@earshot.test', displayName: 'p', role: 'trainer', password: 'a long enough password' }],
      ['POST', '/v1/library/collections', { name: 'probe', description: 'd' }],
      ['POST', '/v1/rules/backtest', { rule: { id: 'r', version: 1, family: 'pressure_tactics', severity: 'major', dimension: 'compliance', description: 'd', regulation: 'r', match: { phrases: ['x'] } }, filter: { from: '2026-01-01' } }],
      ['POST', '/v1/outcomes', { callExternalId: 'probe-seed', outcome: 'sale' }],
      ['PUT', '/v1/thresholds', { minScore: 70 }],
      ['PUT', '/v1/campaigns/probe-campaign-2', { vadDetector: 'energy', talkRatioAgentTarget: 0.5, talkRatioTolerance: 0.1, name: 'n' }],
      ['POST', '/v1/calls/00000000-0000-4000-8000-000000000000/reanalyse', { fromStage: 'check' }],
    ];
    for (const [method, path, base] of bodies) {
      for (const field of Object.keys(base)) for (const value of HOSTILE) tasks.push(() => json(stack, method, path, bodyWith(base, field, value)));
    }
    for (const value of HOSTILE) tasks.push(() => json(stack, 'POST', '/v1/auth/login', bodyWith({ email: 'probe@earshot.test', password: 'x' }, 'email', value), false));
    // re-analyse with a hostile call id in the path
    for (const value of HOSTILE_STRINGS.filter((v) => v !== '')) tasks.push(() => json(stack, 'POST', `/v1/calls/${urlEncode(value)}/reanalyse`, JSON.stringify({ fromStage: 'check' })));
    await pool(tasks);

    // 5. Duplicate externalId with different audio (409s), and races of the same audio with different transcripts.
    await upload(stack, 'dup first', { audio: wav(seed++), metadata: metadata({ externalId: 'probe-dup' }), transcript: transcript('first') });
    await pool(Array.from({ length: 20 }, () => { const s = seed++; return () => upload(stack, 'dup externalId', { audio: wav(s), metadata: metadata({ externalId: 'probe-dup' }), transcript: transcript('dup') }); }));
    const sent = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      const audio = wav(seed++);
      await Promise.all(Array.from({ length: 10 }, (_, i) => {
        const externalId = `race-${round}-${i}`;
        const marker = `transcript of ${externalId}`;
        sent.set(externalId, marker);
        return upload(stack, 'race', { audio, metadata: metadata({ externalId }), transcript: transcript(marker) });
      }));
    }

    // 6. A catastrophic pattern in a backtest must not stall /health.
    const healthBaselineMs = await healthMax(stack, 3000);
    const redos = await healthDuringBacktest(stack);

    // Let the worker settle before counting temp files.
    const settle = Date.now() + Math.min(60_000, Math.max(0, timeLeft()));
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    while (Date.now() < settle && Number((await db.query(`SELECT count(*) FROM "Call" WHERE status NOT IN ('completed', 'failed')`)).rows[0].count) > 0) await sleep(500);
    const unsettled = Number((await db.query(`SELECT count(*) FROM "Call" WHERE status NOT IN ('completed', 'failed')`)).rows[0].count);
    const failed = Number((await db.query(`SELECT count(*) FROM "Call" WHERE status = 'failed'`)).rows[0].count);
    const calls = Number((await db.query('SELECT count(*) FROM "Call"')).rows[0].count);
    await db.end();

    const { objects, orphans } = await orphanObjects(stack);
    const mixed = await mixedUpTranscripts(stack, sent);
    const tempFiles = (await readdir(apiTmp, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length;
    // 7. Redis loses its data with calls in the pipeline (last: it empties every queue).
    const redisLoss = await redisDataLoss(stack, seed);
    seed += 100;
    for (const e of tally.serverErrors.slice(0, 20)) console.log(`5xx ${e.status} ${e.what} -> ${e.body}`);
    for (const o of orphans.slice(0, 20)) console.log(`orphan ${o}`);
    console.log(`requests ${tally.requests}, by status ${JSON.stringify(tally.byStatus)}`);
    console.log(`5xx ${tally.serverErrors.length}; orphan objects ${orphans.length} of ${objects}; mixed-up transcripts ${mixed}; temp files left ${tempFiles}; calls ${calls}, failed ${failed}, not settled ${unsettled}`);
    console.log(`backtest (a+)+c: ${redos.backtestStatus}, /health max ${redos.healthMaxMs} ms (baseline just before: ${healthBaselineMs} ms)`);
    console.log(`Redis data lost with ${redisLoss.calls} calls in the pipeline: ${redisLoss.leftInPipeline} left queued or processing after ${REDIS_LOSS_WAIT_MS / 1000} s at most (settled after ${redisLoss.settledAfterSeconds ?? '-'} s); schedulers back: ${redisLoss.schedulersBack}`);
    console.log(
      JSON.stringify({
        probe: 'hostile',
        requests: tally.requests,
        serverErrors: tally.serverErrors.length,
        orphanObjects: orphans.length,
        mixedUpTranscripts: mixed,
        tempFilesLeft: tempFiles,
        calls,
        callsFailed: failed,
        callsNotSettled: unsettled,
        backtestStatus: redos.backtestStatus,
        healthMaxMsDuringBacktest: redos.healthMaxMs,
        healthMaxMsBaseline: healthBaselineMs,
        redisLossCalls: redisLoss.calls,
        redisLossLeftInPipeline: redisLoss.leftInPipeline,
        redisLossSettledAfterSeconds: redisLoss.settledAfterSeconds,
        redisLossWaitSeconds: REDIS_LOSS_WAIT_MS / 1000,
        schedulersBackAfterRedisLoss: redisLoss.schedulersBack,
        byStatus: tally.byStatus,
        seconds: Math.round((Date.now() - started) / 1000),
        completed: timeLeft() > 0,
      }),
    );
  } finally {
    await stack.stop();
    await rm(apiTmp, { recursive: true, force: true });
  }
}

await main();
