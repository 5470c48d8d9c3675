import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Logger as StructuredLogger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { useAudioTools } from '#libs/audio';
import { loadConfig } from '#libs/config';
import { EnvironmentNotReadyError, assertEnvironmentReady } from '#libs/pipeline';
import { exitOnSignal } from '#libs/lifecycle';
import { WorkerModule } from './worker.module.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind === 'pglite') {
    throw new Error('a separate worker process needs DATABASE_URL (embedded PGlite runs the worker inside the API process)');
  }
  // refuse to start, saying why, rather than fail every call
  useAudioTools(await assertEnvironmentReady(config));
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(StructuredLogger));
  exitOnSignal(app);
  Logger.log('Earshot worker running', 'Main');
}

main().catch((error: unknown) => {
  // configuration and environment problems are the operator's to fix: the message says how, a stack would bury it
  const expected = error instanceof EnvironmentNotReadyError || (error instanceof Error && error.name === 'ConfigValidationError');
  console.error(error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : error);
  process.exit(1);
});
