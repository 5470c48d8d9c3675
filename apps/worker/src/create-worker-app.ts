import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { useAudioTools } from '#libs/audio';
import { type AppConfig, ConfigModule, logLevelsUpTo } from '#libs/config';
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
  return NestFactory.createApplicationContext(EarshotWorkerRoot, { logger: logLevelsUpTo(config.logLevel) });
}
