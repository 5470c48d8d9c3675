/**
 * npm run probe:kills [-- --calls N --kills K] — crashes under load: the built API and two worker processes
 * (scripts/stack) on the real Postgres, Redis and local storage; N calls (default 300) with sidecar transcripts
 * uploaded at a steady pace while the workers are killed with SIGKILL K times in all (default 100), each started again
 * at once. Then it checks what a crash must not do: every call completed; each call has exactly the findings of its
 * sample's reference call (uploaded before any kill), one per dedupe key (none lost, none duplicated); rollups exact
 * (one contribution per call, agent-day call counts summing to the calls). Loopback only; the last line is one JSON
 * object.
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ROOT, type Stack, startStack, uploadCall } from '../scripts/stack/earshot-stack.js';

const CALLS = Number(argument('--calls') ?? 300);
const KILLS = Number(argument('--kills') ?? 100);
/** a worker is killed this long after it was started (it boots in 1–3 s, then takes jobs) */
const LIFETIME_MS: [number, number] = [2500, 5000];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

interface Sample {
  name: string;
  metadata: Record<string, unknown>;
  audio: Buffer;
  transcript: Buffer;
}

/** The sample's recording with its last four bytes set from `n`: its own sha256, the same sound. */
function variant(sample: Sample, n: number, run: number): { audio: Buffer; audioName: string; metadata: Record<string, unknown>; transcript: Buffer } {
  const audio = Buffer.from(sample.audio);
  audio.writeUInt32LE((run * 100_000 + n) >>> 0, audio.length - 4);
  const chinese = String(sample.metadata.customerPhone ?? '').startsWith('+86');
  // each call its own customer: a shared number would give later calls dial-frequency and opt-out findings
  const customerPhone = chinese ? `+86139${String(n).padStart(8, '0')}` : `+1212${String(2_000_000 + n).padStart(7, '0')}`;
  return { audio, audioName: `${sample.name}.wav`, metadata: { ...sample.metadata, externalId: `kills-${run}-${n}`, customerPhone }, transcript: sample.transcript };
}

async function waitUntilFinished(db: pg.Client, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ open: string }>(`SELECT count(*) AS open FROM "Call" WHERE id = ANY($1::uuid[]) AND status NOT IN ('completed', 'failed')`, [ids]);
    if (Number(rows[0]?.open) === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.open} calls still in the pipeline after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** ruleId:dedupeKey of each finding of a call, sorted; and whether any dedupe key repeats. */
async function findingsOf(db: pg.Client, callIds: string[]): Promise<Map<string, { rules: string; total: number; distinct: number }>> {
  const { rows } = await db.query<{ callId: string; rules: string; total: string; distinct: string }>(
    `SELECT "callId", string_agg("ruleId", ',' ORDER BY "ruleId") AS rules, count(*) AS total, count(DISTINCT "dedupeKey") AS distinct
       FROM "Finding" WHERE "callId" = ANY($1::uuid[]) GROUP BY "callId"`,
    [callIds],
  );
  return new Map(rows.map((r) => [r.callId, { rules: r.rules, total: Number(r.total), distinct: Number(r.distinct) }]));
}

async function main(): Promise<void> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
  const samples: Sample[] = await Promise.all(
    manifest.map(async (m) => ({
      ...m,
      audio: await readFile(join(ROOT, `samples/audio/${m.name}.wav`)),
      transcript: await readFile(join(ROOT, `samples/audio/${m.name}.transcript.json`)),
    })),
  );
  const stack: Stack = await startStack({
    logDir: join(ROOT, 'test-results/probe-kills'),
    storage: 'local',
    workers: 2,
    // A killed worker's job is taken over once its lock lapses. Each call is held 1.5 s after check wrote its findings
    // (the test-only fault injection, hence NODE_ENV=test), so most kills find calls half done.
    env: { JOB_LOCK_DURATION_MS: '5000', NODE_ENV: 'test', FAULT_DELAY_AFTER_STAGE: 'check=1500' },
  });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  let killing = true;
  try {
    await db.connect();
    console.log(`probe:kills — ${CALLS} calls, ${KILLS} worker kills (SIGKILL), API + 2 workers`);
    // the reference: one call of each sample, no kill
    const references = new Map<string, string>();
    for (const [i, sample] of samples.entries()) references.set(sample.name, await uploadCall(stack, variant(sample, i, 1)));
    await waitUntilFinished(db, [...references.values()], 120_000);
    const referenceFindings = await findingsOf(db, [...references.values()]);

    const started = performance.now();
    let kills = 0;
    let killsMidPipeline = 0;
    const killer = (async () => {
      while (killing && kills < KILLS) {
        for (let index = 0; index < 2 && kills < KILLS && killing; index++) {
          // two workers take turns: each lives about twice this gap
          await sleep((LIFETIME_MS[0] + Math.random() * (LIFETIME_MS[1] - LIFETIME_MS[0])) / 2);
          const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Call" WHERE status = 'processing'`);
          if (Number(rows[0]?.n) > 0) killsMidPipeline++;
          await stack.killAndRestartWorker(index);
          kills++;
          if (kills % 10 === 0) console.log(`  ${kills} kills after ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
      }
    })();
    // uploads spread over the kills, so calls are in flight at every kill
    const paceMs = (KILLS * ((LIFETIME_MS[0] + LIFETIME_MS[1]) / 4)) / CALLS;
    const uploads: { id: string; sample: string }[] = [];
    for (let n = 0; n < CALLS; n++) {
      const sample = samples[n % samples.length];
      if (!sample) continue;
      uploads.push({ id: await uploadCall(stack, variant(sample, samples.length + n, 2)), sample: sample.name });
      await sleep(paceMs);
    }
    await killer;
    killing = false;
    const ids = uploads.map((u) => u.id);
    await waitUntilFinished(db, ids, 600_000);
    const seconds = (performance.now() - started) / 1000;

    const { rows: statuses } = await db.query<{ status: string; n: string; reasons: string | null }>(
      `SELECT status, count(*) AS n, string_agg(DISTINCT "failureReason", ' | ') AS reasons FROM "Call" WHERE id = ANY($1::uuid[]) GROUP BY status`,
      [ids],
    );
    const failed = statuses.filter((s) => s.status !== 'completed');
    const findings = await findingsOf(db, ids);
    let lost = 0;
    let duplicated = 0;
    const mismatched: string[] = [];
    for (const upload of uploads) {
      const got = findings.get(upload.id) ?? { rules: '', total: 0, distinct: 0 };
      const want = referenceFindings.get(references.get(upload.sample) ?? '') ?? { rules: '', total: 0, distinct: 0 };
      duplicated += got.total - got.distinct;
      lost += Math.max(0, want.distinct - got.distinct);
      if (got.rules !== want.rules) mismatched.push(upload.id);
    }
    const all = [...ids, ...references.values()];
    const { rows: rollup } = await db.query<{ contributions: string; agentDayCalls: string }>(
      `SELECT (SELECT count(*) FROM "CallRollupContribution" WHERE "callId" = ANY($1::uuid[])) AS contributions,
              (SELECT coalesce(sum(calls), 0) FROM "AgentDailyRollup") AS "agentDayCalls"`,
      [all],
    );
    const result = {
      probe: 'kills',
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(1)} at the end`,
      calls: CALLS,
      kills,
      killsWithCallsMidPipeline: killsMidPipeline,
      seconds: Number(seconds.toFixed(1)),
      completed: Number(statuses.find((s) => s.status === 'completed')?.n ?? 0),
      notCompleted: failed.reduce((sum, s) => sum + Number(s.n), 0),
      failureReasons: failed.map((s) => s.reasons).filter(Boolean),
      findingsLost: lost,
      findingsDuplicated: duplicated,
      callsWithOtherFindings: mismatched.length,
      rollupContributions: Number(rollup[0]?.contributions),
      agentDayCalls: Number(rollup[0]?.agentDayCalls),
      rollupsExact: Number(rollup[0]?.contributions) === all.length && Number(rollup[0]?.agentDayCalls) === all.length,
    };
    console.log(`  ${result.completed}/${CALLS} completed; findings lost ${lost}, duplicated ${duplicated}; rollups exact: ${result.rollupsExact}`);
    console.log(JSON.stringify(result));
    if (result.notCompleted > 0 || lost > 0 || duplicated > 0 || mismatched.length > 0 || !result.rollupsExact) process.exitCode = 1;
  } finally {
    killing = false;
    await db.end().catch(() => undefined);
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
