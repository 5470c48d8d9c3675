import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { loadConfig } from '#libs/config';

/**
 * The one place the apps are composed: the API alone, or the API with the pipeline workers in the same process.
 * With embedded PGlite (no DATABASE_URL) the workers must run inside, because PGlite is one database in one process.
 */
export function createEarshotApp(options: { withWorker?: boolean } = {}): Promise<INestApplication> {
  const withWorker = options.withWorker ?? loadConfig().database.kind === 'pglite';
  return createApiApp({ alsoRun: withWorker ? [WorkerModule] : [] });
}
