import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { hostileInputProblems, unstorableText } from './hostile-input.js';
import { RequestValidationError } from './request-validation.error.js';

/**
 * Refuses, with a 400 naming the field, path segments, query values and JSON bodies that no route can store or
 * use (NUL, lone surrogates, reserved keys, numbers past 2^53), before any route, guard or database sees them.
 * Multipart fields are checked where they are parsed (validateDto).
 */
@Injectable()
export class HostileInputMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const problems: string[] = [];
    const path = (request.originalUrl ?? request.url).split('?')[0] ?? '';
    path.split('/').forEach((raw, i) => {
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        problems.push(`path.${i}: not valid percent-encoded UTF-8`);
        return;
      }
      const why = unstorableText(segment);
      if (why) problems.push(`path.${i}: ${why}`);
    });
    hostileInputProblems(request.query, 'query', problems);
    if (request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) {
      hostileInputProblems(request.body, 'body', problems);
    }
    if (problems.length > 0) throw new RequestValidationError(problems);
    next();
  }
}
