import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { useAudioTools } from '#libs/audio';
import { Logger as StructuredLogger } from 'nestjs-pino';
import { type AppConfig, ConfigModule } from '#libs/config';
import { assertEnvironmentReady } from '#libs/lifecycle';
import { WorkerModule } from './worker.module.js';

/** The worker process on the given configuration: it checks its dependencies first and refuses to start without them. */
export async function createWorkerApp(config: AppConfig): Promise<INestApplicationContext> {
  if (config.database.kind === 'pglite') {
    throw new Error('a separate worker process needs DATABASE_URL (embedded PGlite runs the worker inside the API process)');
  }
  useAudioTools(await assertEnvironmentReady(config));
  @Module({ imports: [ConfigModule.forRoot(config), WorkerModule] })
  class EarshotWorkerRoot {}
  // boot lines are held until the structured logger is installed, so they come out as JSON too
  const app = await NestFactory.createApplicationContext(EarshotWorkerRoot, { bufferLogs: true });
  app.useLogger(app.get(StructuredLogger));
  return app;
}
