/**
 * npm run bench:statements — what one Postgres statement costs the Node process that sends it (CPU µs, from
 * process.cpuUsage) through each path the code has: Prisma's ORM calls, Prisma's raw SQL, and pg itself over TCP and
 * over Postgres's Unix socket (when the socket is there). 8 statements in flight at a time, as a busy worker has.
 * The pipeline's batching (libs/db group-commit.ts) and its raw SQL on hot paths follow from these figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { cpus } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../libs/config/src/index.js';
import { PrismaService, applyMigrations } from '../libs/db/src/index.js';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SOCKET_DIR = '/var/run/postgresql';
const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 4000);
const IN_FLIGHT = 8;

/** Client CPU µs per statement of `send`, after a warm-up. */
async function cpuPerStatement(send: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await send();
  const before = process.cpuUsage();
  for (let i = 0; i < STATEMENTS; i += IN_FLIGHT) await Promise.all(Array.from({ length: IN_FLIGHT }, send));
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / STATEMENTS);
}

async function main(): Promise<void> {
  const database = `earshot_bench_statements_${randomBytes(4).toString('hex')}`;
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  await applyMigrations({ kind: 'postgres', connectionString: databaseUrl });
  const prisma = await PrismaService.connect(loadConfig({ DATABASE_URL: databaseUrl }));
  const id = randomUUID();
  const results: Record<string, number> = {};
  try {
    const db = prisma.client;
    results.prismaUpdateMany = await cpuPerStatement(() => db.call.updateMany({ where: { id, status: { not: 'failed' } }, data: { currentStage: 'check' } }));
    results.prismaFindUnique = await cpuPerStatement(() => db.agent.findUnique({ where: { id } }));
    // an include is a query per relation
    results.prismaFindFirstWithTwoRelations = await cpuPerStatement(() => db.call.findFirst({ where: { id }, include: { agent: true, campaign: true } }));
    results.prismaExecuteRaw = await cpuPerStatement(() => db.$executeRaw`UPDATE "Call" SET "currentStage" = ${'check'} WHERE id = ${id}::uuid`);
    results.prismaQueryRaw = await cpuPerStatement(() => db.$queryRaw`SELECT * FROM "Agent" WHERE id = ${id}::uuid`);
    const pools: [string, pg.PoolConfig][] = [['pgTcp', { connectionString: databaseUrl }]];
    if (await access(SOCKET_DIR).then(() => true, () => false)) pools.push(['pgUnixSocket', { host: SOCKET_DIR, user: new URL(databaseUrl).username, database }]);
    for (const [name, config] of pools) {
      const pool = new pg.Pool({ ...config, max: IN_FLIGHT });
      try {
        results[name] = await cpuPerStatement(() => pool.query('SELECT * FROM "Agent" WHERE id = $1', [id]));
      } finally {
        await pool.end();
      }
    }
  } finally {
    await prisma.onApplicationShutdown();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
  for (const [name, micros] of Object.entries(results)) console.log(`  ${name.padEnd(34)} ${String(micros).padStart(5)} µs CPU a statement`);
  console.log(JSON.stringify({ bench: 'statements', machine: `${cpus().length} cores (${cpus()[0]?.model.trim()})`, statements: STATEMENTS, inFlight: IN_FLIGHT, cpuMicrosPerStatement: results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
