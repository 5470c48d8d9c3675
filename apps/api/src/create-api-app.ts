import { type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { resolveAudioTools, useAudioTools } from '#libs/audio';
import { APP_CONFIG, type AppConfig, loadConfig, logLevelsUpTo } from '#libs/config';
import { AuditRepository } from '#libs/db';
import { assertEnvironmentReady } from '#libs/pipeline';
import { WorkerModule } from '../../worker/src/worker.module.js';
import { ApiModule } from './api.module.js';
import { DomainErrorFilter } from './common/domain-error.filter.js';
import { serveConsole } from './console-static.js';
import { hardenHttp } from './common/harden-http.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { EarshotMetrics } from '#libs/metrics';

/**
 * Builds the HTTP app. With embedded PGlite (no DATABASE_URL) the pipeline workers run in the same process,
 * because PGlite is one database in one process.
 */
export async function createApiApp(options: { withWorker?: boolean } = {}): Promise<INestApplication> {
  const config = loadConfig();
  const withWorker = options.withWorker ?? config.database.kind === 'pglite';
  // the pipeline's dependencies are checked before anything starts: a process that cannot work refuses to start
  useAudioTools(withWorker ? await assertEnvironmentReady(config) : resolveAudioTools(config.audioTools, config.audioTools.searchPath));
  const root: Type = withWorker ? AllInOneModule : ApiModule;
  const app = await NestFactory.create<NestExpressApplication>(root, {
    logger: logLevelsUpTo(config.logLevel),
    // harden-http registers the parsers with their limits
    bodyParser: false,
  });
  app.use(httpMetrics(app.get(EarshotMetrics)));
  hardenHttp(app, config);
  if (config.http.trustProxy !== undefined) app.set('trust proxy', config.http.trustProxy);
  app.useGlobalFilters(new DomainErrorFilter(app.get<AppConfig>(APP_CONFIG).http.uploadMaxBytes, app.get(AuditRepository)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Earshot API')
      .setDescription('Speech-analytics quality inspection: calls, transcripts, findings, evaluations.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a session token from POST /v1/auth/login, or an API key' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  serveConsole(app, config.http.consoleDir);
  return app;
}

@Module({ imports: [ApiModule, WorkerModule] })
class AllInOneModule {}
