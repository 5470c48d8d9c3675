import type { INestApplication } from '@nestjs/common';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { WorkerModule } from '../apps/worker/src/worker.module.js';
import { type AppConfig, loadConfig } from '#libs/config';

export interface EarshotAppOptions {
  /** the process's configuration; read from the environment when not given */
  config?: AppConfig;
  /** run the pipeline workers in this process too; the default with embedded PGlite, which is one database in one process */
  withWorker?: boolean;
}

/** The one place the apps are composed: the API alone, or the API with the pipeline workers in the same process. */
export function createEarshotApp(options: EarshotAppOptions = {}): Promise<INestApplication> {
  const config = options.config ?? loadConfig();
  const withWorker = options.withWorker ?? config.database.kind === 'pglite';
  return createApiApp({ config, alsoRun: withWorker ? [WorkerModule] : [] });
}
