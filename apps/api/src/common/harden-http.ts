import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '#libs/config';

/**
 * Security headers, CORS and request body limits, applied before any route. The Content-Security-Policy is the
 * console's: its own scripts only, inline style attributes (Mantine sets them), media and fetches from this origin
 * and, when recordings are handed out as presigned URLs, from the S3 endpoint they redirect to.
 */
export function hardenHttp(app: NestExpressApplication, config: AppConfig): void {
  const mediaOrigins = config.storage.kind === 's3' && config.media.delivery === 'redirect' ? [s3Origin(config.storage)] : [];
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          mediaSrc: ["'self'", 'blob:', ...mediaOrigins],
          connectSrc: ["'self'", ...mediaOrigins],
          workerSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // the recording and clips are fetched by the console's own origin; nothing else should embed them
      crossOriginResourcePolicy: { policy: 'same-origin' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins,
      credentials: true,
      allowedHeaders: ['authorization', 'content-type', 'x-csrf-token'],
      exposedHeaders: ['content-range', 'retry-after'],
      maxAge: 600,
    });
  }
  app.useBodyParser('json', { limit: config.http.jsonBodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: config.http.jsonBodyLimitBytes, extended: false });
  app.use(bodyErrors(config.http.jsonBodyLimitBytes));
}

function s3Origin(storage: Extract<AppConfig['storage'], { kind: 's3' }>): string {
  const scheme = storage.useSSL ? 'https' : 'http';
  const defaultPort = storage.useSSL ? 443 : 80;
  return `${scheme}://${storage.endPoint}${storage.port && storage.port !== defaultPort ? `:${storage.port}` : ''}`;
}

/**
 * Body parser errors happen before Nest's router, so its exception filter never sees them; Express's own handler
 * would answer with HTML and, outside production, a stack trace. These answer JSON like the filter does.
 */
function bodyErrors(limitBytes: number) {
  const logger = new Logger('HttpBody');
  return (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    if (response.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      response.status(413).json({
        statusCode: 413,
        error: 'payload too large',
        message: `the request body is larger than the limit of ${limitBytes} bytes (JSON_BODY_LIMIT_BYTES)`,
      });
      return;
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = type === 'entity.parse.failed' ? 'the request body is not valid JSON' : 'the request body cannot be read';
      response.status(status).json({ statusCode: status, error: 'invalid request', message: [message] });
      return;
    }
    logger.error(`request body: ${(error as Error).message}`, (error as Error).stack);
    response.status(500).json({ statusCode: 500, error: 'internal error', message: 'unexpected error; see the server log' });
  };
}
