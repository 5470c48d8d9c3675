import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolveAudioTools, useAudioTools } from '#libs/audio';
import { loadConfig, logLevelsUpTo } from '#libs/config';
import { exitOnSignal } from './exit-on-signal.js';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  useAudioTools(resolveAudioTools(config.audioTools, config.audioTools.searchPath));
  if (config.database.kind === 'pglite') {
    throw new Error('a separate worker process needs DATABASE_URL (embedded PGlite runs the worker inside the API process)');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: logLevelsUpTo(config.logLevel),
  });
  exitOnSignal(app);
  Logger.log('Earshot worker running', 'Main');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
