import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '#libs/config';
import { EnvironmentNotReadyError, exitOnSignal } from '#libs/lifecycle';
import { createWorkerApp } from './create-worker-app.js';

async function main(): Promise<void> {
  const app = await createWorkerApp(loadConfig());
  exitOnSignal(app);
  Logger.log('Earshot worker running', 'Main');
}

main().catch((error: unknown) => {
  // configuration and environment problems are the operator's to fix: the message says how, a stack would bury it
  const expected = error instanceof EnvironmentNotReadyError || (error instanceof Error && error.name === 'ConfigValidationError');
  console.error(error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : error);
  process.exit(1);
});
