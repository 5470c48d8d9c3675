import { mkdirSync } from 'node:fs';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations } from './migrate/index.js';

/**
 * A transcript's searchable form is read by backtests only (raw SQL): every other transcript read leaves it out.
 */
const omit = { transcript: { searchText: true, searchSegments: true, searchVersion: true } } as const;

function client(adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>) {
  return new PrismaClient({ adapter, omit });
}

export type DatabaseClient = ReturnType<typeof client>;

/** Owns the Prisma client; repositories reach the database only through it. */
@Injectable()
export class PrismaService implements OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);

  private constructor(
    readonly client: DatabaseClient,
    private readonly embedded: PGlite | null,
  ) {}

  static async connect(config: AppConfig): Promise<PrismaService> {
    if (config.database.kind === 'postgres') {
      const adapter = new PrismaPg({ connectionString: config.database.url, max: 10 });
      return new PrismaService(client(adapter), null);
    }
    // Embedded mode: one process owns the PGlite data folder, migrated on open.
    mkdirSync(config.database.dataDir, { recursive: true });
    const pglite = new PGlite(config.database.dataDir);
    await pglite.waitReady;
    await applyMigrations({ kind: 'pglite', pglite });
    return new PrismaService(client(new PrismaPGlite(pglite)), pglite);
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
    await this.embedded?.close();
    this.logger.log('database connection closed');
  }
}

export const PRISMA_SERVICE_PROVIDER = {
  provide: PrismaService,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => PrismaService.connect(config),
};
