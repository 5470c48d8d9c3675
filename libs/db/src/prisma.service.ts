import { mkdirSync } from 'node:fs';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations } from './migrate/index.js';
import { type SqlRunner, clientSqlRunner, poolSqlRunner } from './sql-runner.js';

/**
 * A transcript's searchable form is read by backtests only (raw SQL): every other transcript read leaves it out.
 */
const omit = { transcript: { searchText: true, searchSegments: true, searchVersion: true } } as const;

function client(adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>) {
  return new PrismaClient({ adapter, omit });
}

export type DatabaseClient = ReturnType<typeof client>;

/**
 * Owns the Prisma client and, on Postgres, the connection pool it shares with `sql` (the hot path's batched
 * statements); repositories reach the database only through it.
 */
@Injectable()
export class PrismaService implements OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);

  private constructor(
    readonly client: DatabaseClient,
    readonly sql: SqlRunner,
    private readonly close: () => Promise<void>,
  ) {}

  static async connect(config: AppConfig): Promise<PrismaService> {
    if (config.database.kind === 'postgres') {
      const pool = new pg.Pool({ connectionString: config.database.url, max: 10 });
      // a connection the server closed while idle: the pool drops it and opens another when needed
      pool.on('error', (error) => new Logger(PrismaService.name).warn(`idle database connection lost: ${error.message}`));
      return new PrismaService(client(new PrismaPg(pool)), poolSqlRunner(pool), () => pool.end());
    }
    // Embedded mode: one process owns the PGlite data folder, migrated on open.
    mkdirSync(config.database.dataDir, { recursive: true });
    const pglite = new PGlite(config.database.dataDir);
    await pglite.waitReady;
    await applyMigrations({ kind: 'pglite', pglite });
    const prisma = client(new PrismaPGlite(pglite));
    return new PrismaService(prisma, clientSqlRunner(prisma), () => pglite.close());
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
    await this.close();
    this.logger.log('database connection closed');
  }
}

export const PRISMA_SERVICE_PROVIDER = {
  provide: PrismaService,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => PrismaService.connect(config),
};
