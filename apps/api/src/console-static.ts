import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the API owns; everything else under / belongs to the console. */
const API_PATHS = /^\/(v1|docs|docs-json|health|metrics|admin\/queues)(\/|$)/;

/**
 * Serves the console's static build at / and answers its client-side routes (any other GET that asks for HTML)
 * with index.html. Hashed assets are cached for a year; index.html never, so a deploy is picked up at once.
 */
export function serveConsole(app: NestExpressApplication, consoleDir: string): void {
  const index = join(consoleDir, 'index.html');
  if (!existsSync(index)) {
    Logger.warn(`no console build in ${consoleDir} (run npm run build): / serves nothing`, 'Console');
    return;
  }
  app.useStaticAssets(join(consoleDir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', fallthrough: false });
  app.useStaticAssets(consoleDir, { index: false, maxAge: 0 });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || API_PATHS.test(request.path) || !request.accepts('html')) return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}
