import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { resolveByteRange } from './byte-range.js';
import { MediaNotFoundError } from './media-not-found.error.js';

export interface MediaObject {
  key: string;
  /** used when the stored object carries no content type */
  contentType: string;
  fileName: string;
  /** names the object in a 404: `recording of call <id>` */
  missing: { what: string; id: string };
}

/**
 * Hands a stored object to the browser. MEDIA_DELIVERY=redirect: 302 to a presigned URL of MEDIA_URL_TTL_SECONDS
 * (S3 serves Range itself); stream: the API serves the bytes with single-range support (206 / 416).
 */
@Injectable()
export class MediaResponder {
  private readonly logger = new Logger(MediaResponder.name);

  constructor(
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async send(object: MediaObject, request: Request, response: Response): Promise<void> {
    const info = await this.storage.stat(object.key);
    if (!info) throw new MediaNotFoundError(object.missing.what, object.missing.id, `is missing from storage (key ${object.key})`);
    if (this.config.media.delivery === 'redirect') {
      const url = await this.storage.presignedGetUrl(object.key, this.config.media.urlTtlSeconds);
      if (url) {
        response.setHeader('Cache-Control', 'no-store');
        response.redirect(302, url);
        return;
      }
    }
    const size = info.size;
    const range = resolveByteRange(request.headers.range, size);
    response.setHeader('Accept-Ranges', 'bytes');
    response.setHeader('Content-Type', info.contentType ?? object.contentType);
    response.setHeader('Content-Disposition', `inline; filename="${object.fileName}"`);
    response.setHeader('Cache-Control', 'private, no-cache');
    if (range.kind === 'unsatisfiable') {
      response.setHeader('Content-Range', `bytes */${size}`);
      response.status(416).json({
        statusCode: 416,
        error: 'range not satisfiable',
        message: [`range: ${request.headers.range} is outside the ${size} bytes of ${object.fileName}`],
      });
      return;
    }
    if (range.kind === 'partial') {
      response.status(206);
      response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      response.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      response.status(200);
      response.setHeader('Content-Length', String(size));
    }
    if (request.method === 'HEAD' || size === 0) {
      response.end();
      return;
    }
    const body =
      range.kind === 'partial' ? await this.storage.getRange(object.key, range.start, range.end) : await this.storage.get(object.key);
    try {
      await pipeline(body, response);
    } catch (error) {
      // the status line is gone: all that is left is to cut the connection, so the client sees a short body
      if (!response.headersSent) throw error;
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.error(`streaming ${object.key} failed: ${(error as Error).message}`, (error as Error).stack);
      }
      response.destroy();
    }
  }
}
