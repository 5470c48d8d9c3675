/**
 * npm run bench:audit-contention — issue 18: does anonymous traffic slow audited work? Starts the production stack on
 * loopback, uploads one call, then times a legitimate audited read (GET /v1/calls/:id appends `call.viewed` to the
 * audit chain) alone and while 14 anonymous connections send writes that are refused with 403 (a session cookie
 * without the CSRF header, a 16 KB URL). The last line is one JSON object.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ROOT, type Stack, startStack } from '../scripts/stack/earshot-stack.js';
import { monoWav } from '../scripts/stack/quiet-wav.js';

const READS = Number(process.env.BENCH_READS ?? 200);
const ANONYMOUS_CONNECTIONS = 14;

function wav(seed: number): Buffer {
  return monoWav(8000, (i) => Math.round(Math.sin((i * (seed + 3)) / 10) * 3000));
}

async function uploadCall(stack: Stack): Promise<string> {
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(wav(7))], { type: 'audio/wav' }), 'call.wav');
  form.set('metadata', JSON.stringify({ agentExternalId: 'bench-agent', customerPhone: '+14155550123', direction: 'outbound', startedAt: '2026-11-20T10:15:00-08:00', channelLayout: 'mono' }));
  const transcript = { format: 'earshot.transcript.v1', language: 'en', rolesSource: 'channel', segments: [{ speaker: 'agent', start: 0, end: 0.8, text: 'hello, this is a bench call' }] };
  form.set('transcript', new Blob([JSON.stringify(transcript)], { type: 'application/json' }), 'transcript.json');
  const response = await stack.adminFetch('/v1/calls', { method: 'POST', body: form });
  const id = ((await response.json()) as { id: string }).id;
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(200)) {
    const status = ((await (await stack.adminFetch(`/v1/calls/${id}/status`)).json()) as { status: string }).status;
    if (status === 'completed' || status === 'failed') return id;
  }
  throw new Error(`call ${id} did not finish`);
}

async function timeReads(stack: Stack, callId: string): Promise<{ p50: number; p95: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t = performance.now();
    const response = await stack.adminFetch(`/v1/calls/${callId}`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`read answered ${response.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), max: at(1) };
}

async function main(): Promise<void> {
  const stack = await startStack({ logDir: join(ROOT, 'test-results/bench-audit-contention') });
  try {
    const login = await fetch(`${stack.baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stack.admin) });
    const { token } = (await login.json()) as { token: string };
    const callId = await uploadCall(stack);
    await timeReads(stack, callId); // warm-up
    const alone = await timeReads(stack, callId);

    let stop = false;
    let denied = 0;
    const statuses: Record<string, number> = {};
    const longPath = `/v1/opt-outs?${'x'.repeat(16_000)}`;
    const flood = Array.from({ length: ANONYMOUS_CONNECTIONS }, async () => {
      while (!stop) {
        const response = await fetch(`${stack.baseUrl}${longPath}`, { method: 'POST', headers: { cookie: `earshot_session=${token}`, 'content-type': 'application/json' }, body: '{}' }).catch(() => null);
        if (!response) continue;
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 403) denied++;
      }
    });
    await sleep(500);
    const deniedBefore = denied;
    const started = performance.now();
    const underFlood = await timeReads(stack, callId);
    const seconds = (performance.now() - started) / 1000;
    const deniedPerSecond = Math.round((denied - deniedBefore) / seconds);
    stop = true;
    await Promise.all(flood);

    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const chained = Number((await db.query(`SELECT count(*) FROM "AuditEvent" WHERE action = 'access.denied'`)).rows[0].count);
    const security = await db.query(`SELECT count(*) FROM information_schema.tables WHERE table_name = 'SecurityEvent'`);
    const unchained = Number(security.rows[0].count) > 0 ? Number((await db.query(`SELECT count(*) FROM "SecurityEvent" WHERE action = 'access.denied'`)).rows[0].count) : 0;
    await db.end();

    console.log(`audited call read alone: p50 ${alone.p50} ms, p95 ${alone.p95} ms, max ${alone.max} ms (${READS} reads)`);
    console.log(`under ${ANONYMOUS_CONNECTIONS} anonymous connections (${deniedPerSecond} denied/s): p50 ${underFlood.p50} ms, p95 ${underFlood.p95} ms, max ${underFlood.max} ms`);
    console.log(`denied requests: ${denied} (${JSON.stringify(statuses)}); on the audit chain ${chained}, security events ${unchained}`);
    console.log(JSON.stringify({ bench: 'audit-contention', reads: READS, anonymousConnections: ANONYMOUS_CONNECTIONS, alone, underFlood, deniedPerSecond, denied, deniedOnChain: chained, deniedAsSecurityEvents: unchained }));
  } finally {
    await stack.stop();
  }
}

await main();
