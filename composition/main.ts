import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EnvironmentNotReadyError, exitOnSignal } from '#libs/lifecycle';
import { createEarshotApp } from './earshot-app.js';

async function main(): Promise<void> {
  const app = await createEarshotApp();
  const config = app.get<AppConfig>(APP_CONFIG);
  exitOnSignal(app);
  await app.listen(config.http.port, config.http.host);
  Logger.log(`Earshot API on ${await app.getUrl()} (OpenAPI at /docs)`, 'Main');
}

main().catch((error: unknown) => {
  // as the worker: configuration and environment problems are the operator's to fix, the message says how
  const expected = error instanceof EnvironmentNotReadyError || (error instanceof Error && error.name === 'ConfigValidationError');
  console.error(error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : error);
  process.exit(1);
});
