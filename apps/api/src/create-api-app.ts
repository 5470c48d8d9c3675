import { type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { useAudioTools } from '#libs/audio';
import { Logger } from 'nestjs-pino';
import { type AppConfig, ConfigModule } from '#libs/config';
import { AuditRepository, SecurityEventRepository } from '#libs/db';
import { assertEnvironmentReady } from '#libs/lifecycle';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';
import { serveConsole } from './console-static.js';
import { hardenHttp } from './common/harden-http.js';
import { setUpOpenApi } from './common/openapi.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { EarshotMetrics } from '#libs/metrics';

export interface ApiAppOptions {
  config: AppConfig;
  /** modules run in the same process (the pipeline workers, composed in composition/; this app does not know them) */
  alsoRun?: Type[];
}

/** Builds the HTTP app on the given configuration. */
export async function createApiApp({ config, alsoRun = [] }: ApiAppOptions): Promise<INestApplication> {
  // the process checks its dependencies before anything starts, and refuses to start without them; the API alone
  // never talks to the transcription provider (an upload without a transcript is refused when none is configured)
  useAudioTools(await assertEnvironmentReady(config, { transcription: alsoRun.length > 0 }));
  const app = await NestFactory.create<NestExpressApplication>(rootModule(config, alsoRun), {
    // held until the structured logger is installed below, so boot lines come out as JSON too
    bufferLogs: true,
    // harden-http registers the parsers with their limits
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(httpMetrics(app.get(EarshotMetrics)));
  hardenHttp(app, config);
  if (config.http.trustProxy !== undefined) app.set('trust proxy', config.http.trustProxy);
  app.useGlobalFilters(new DomainErrorFilter(config.http.uploadMaxBytes, app.get(AuditRepository), app.get(SecurityEventRepository)));
  setUpOpenApi(app);
  serveConsole(app, config.http.consoleDir);
  return app;
}

function rootModule(config: AppConfig, alsoRun: Type[]): Type {
  @Module({ imports: [ConfigModule.forRoot(config), ApiModule, ...alsoRun] })
  class EarshotApiRoot {}
  return EarshotApiRoot;
}
