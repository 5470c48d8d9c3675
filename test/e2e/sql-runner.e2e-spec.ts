import { randomUUID } from 'node:crypto';
import { loadConfig } from '#libs/config';
import { PrismaService } from '#libs/db';
import { type TestEnvironment, createTestEnvironment } from '../support/earshot-harness.js';

describe('SqlRunner on Postgres (the hot path\'s statements, straight to pg)', () => {
  let environment: TestEnvironment;
  let prisma: PrismaService;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    prisma = await PrismaService.connect(loadConfig({ ...process.env, ...environment.env }));
  }, 60_000);

  afterAll(async () => {
    await prisma?.onApplicationShutdown();
    await environment?.dispose();
  });

  it('answers rows typed as $queryRaw types them, whatever the process\'s time zone', async () => {
    const zone = process.env.TZ;
    // pg's own parsers read a timestamp without a zone, and write a Date, in local time
    process.env.TZ = 'Asia/Shanghai';
    try {
      const at = new Date('2026-12-06T01:02:03.456Z');
      const probe = <T>(tag: (strings: TemplateStringsArray, ...values: unknown[]) => Promise<T>) => tag`
        SELECT '2026-12-06 01:02:03.456'::timestamp AS stamp, '2026-12-06'::date AS day, 9007199254740993::int8 AS big,
          '{"a": [1, "x"]}'::jsonb AS doc, '0b7c2a4e-2f7d-4d7e-9a59-1d2f3c4b5a69'::uuid AS id, 'completed'::"CallStatus" AS status,
          0.25::float8 AS share, 7::int AS count, NULL::text AS nothing, ${at}::timestamp AS written, ${JSON.stringify({ k: 'v' })}::jsonb AS param`;
      const direct = await probe<Record<string, unknown>[]>((strings, ...values) => prisma.sql.query(strings, ...values));
      const throughPrisma = await probe<Record<string, unknown>[]>((strings, ...values) => prisma.client.$queryRaw(strings, ...values));
      expect(direct).toEqual(throughPrisma);
      expect(direct[0]).toEqual({
        stamp: new Date('2026-12-06T01:02:03.456Z'),
        day: new Date('2026-12-06T00:00:00Z'),
        big: 9007199254740993n,
        doc: { a: [1, 'x'] },
        id: '0b7c2a4e-2f7d-4d7e-9a59-1d2f3c4b5a69',
        status: 'completed',
        share: 0.25,
        count: 7,
        nothing: null,
        written: at,
        param: { k: 'v' },
      });
    } finally {
      process.env.TZ = zone;
    }
  });

  it('commits a transaction\'s statements together, and rolls them all back when its work throws', async () => {
    const [kept, dropped] = [`team-${randomUUID()}`, `team-${randomUUID()}`];
    const insert = (name: string) => (tx: PrismaService['sql']) => tx.execute`INSERT INTO "Team" (id, name, "createdAt") VALUES (${randomUUID()}::uuid, ${name}, now())`;
    await prisma.sql.transaction(async (tx) => {
      await insert(kept)(tx);
      await insert(`${kept}-2`)(tx);
    });
    await expect(
      prisma.sql.transaction(async (tx) => {
        await insert(dropped)(tx);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    const names = await prisma.sql.query<{ name: string }[]>`SELECT name FROM "Team" WHERE name LIKE 'team-%' ORDER BY name`;
    expect(names.map((row) => row.name).sort()).toEqual([kept, `${kept}-2`].sort());
    // the pool's connections are all usable after the rollback
    await expect(Promise.all(Array.from({ length: 12 }, () => prisma.sql.query<{ one: number }[]>`SELECT 1::int AS one`))).resolves.toHaveLength(12);
  });
});
