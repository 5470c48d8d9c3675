import { mkdirSync } from 'node:fs';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PrismaClient } from './generated/prisma/client.js';
import { applyMigrations } from './migrate/index.js';

export type DatabaseClient = InstanceType<typeof PrismaClient>;

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
      return new PrismaService(new PrismaClient({ adapter }), null);
    }
    // Embedded mode: one process owns the PGlite data folder, migrated on open.
    mkdirSync(config.database.dataDir, { recursive: true });
    const pglite = new PGlite(config.database.dataDir);
    await pglite.waitReady;
    await applyMigrations({ kind: 'pglite', pglite });
    return new PrismaService(new PrismaClient({ adapter: new PrismaPGlite(pglite) }), pglite);
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
