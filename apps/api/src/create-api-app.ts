import { type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { resolveAudioTools, useAudioTools } from '#libs/audio';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig, loadConfig } from '#libs/config';
import { AuditRepository } from '#libs/db';
import { assertEnvironmentReady } from '#libs/pipeline';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';
import { serveConsole } from './console-static.js';
import { hardenHttp } from './common/harden-http.js';
import { setUpOpenApi } from './common/openapi.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { EarshotMetrics } from '#libs/metrics';

/**
 * Builds the HTTP app, with `alsoRun` modules in the same process (the pipeline workers, composed in composition/; this
 * app does not know them).
 */
export async function createApiApp(options: { alsoRun?: Type[] } = {}): Promise<INestApplication> {
  const config = loadConfig();
  const alsoRun = options.alsoRun ?? [];
  // a process that runs pipeline work checks its dependencies before anything starts, and refuses to start without them
  useAudioTools(alsoRun.length > 0 ? await assertEnvironmentReady(config) : resolveAudioTools(config.audioTools, config.audioTools.searchPath));
  const app = await NestFactory.create<NestExpressApplication>(alsoRun.length > 0 ? composedModule(alsoRun) : ApiModule, {
    // held until the structured logger is installed below, so boot lines come out as JSON too
    bufferLogs: true,
    // harden-http registers the parsers with their limits
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(httpMetrics(app.get(EarshotMetrics)));
  hardenHttp(app, config);
  if (config.http.trustProxy !== undefined) app.set('trust proxy', config.http.trustProxy);
  app.useGlobalFilters(new DomainErrorFilter(app.get<AppConfig>(APP_CONFIG).http.uploadMaxBytes, app.get(AuditRepository)));
  setUpOpenApi(app);
  serveConsole(app, config.http.consoleDir);
  return app;
}

function composedModule(alsoRun: Type[]): Type {
  @Module({ imports: [ApiModule, ...alsoRun] })
  class ComposedModule {}
  return ComposedModule;
}
