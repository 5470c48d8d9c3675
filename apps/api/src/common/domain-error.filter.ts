import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DuplicateExternalIdError } from '#libs/db';
import { InvalidCursorError } from '#libs/pipeline';
import { InvalidObjectKeyError, NotFoundInStorageError } from '#libs/storage';
import { RequestValidationError } from './request-validation.error.js';
import { NotFoundError } from './not-found.error.js';

/** The one place that maps errors to HTTP status codes. Domain and worker code never throw HTTP exceptions. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  constructor(private readonly uploadMaxBytes: number) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.map(error);
    if (status >= 500) this.logger.error((error as Error).message, (error as Error).stack);
    response.status(status).json({ statusCode: status, ...body });
  }

  private map(error: unknown): { status: number; body: Record<string, unknown> } {
    if (error instanceof RequestValidationError) {
      return { status: error.status, body: { error: 'invalid request', message: error.problems } };
    }
    if (error instanceof NotFoundError || error instanceof NotFoundInStorageError) {
      return { status: 404, body: { error: 'not found', message: error.message } };
    }
    if (error instanceof InvalidObjectKeyError || error instanceof InvalidCursorError) {
      return { status: 400, body: { error: 'invalid request', message: [error.message] } };
    }
    if (error instanceof DuplicateExternalIdError) {
      return { status: 409, body: { error: 'conflict', message: [error.message], callId: error.existingCallId } };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 413) {
        return {
          status,
          body: {
            error: 'payload too large',
            message: `the upload is larger than the limit of ${this.uploadMaxBytes} bytes (UPLOAD_MAX_BYTES)`,
          },
        };
      }
      const response = error.getResponse();
      return { status, body: typeof response === 'string' ? { message: response } : (response as Record<string, unknown>) };
    }
    return { status: 500, body: { error: 'internal error', message: 'unexpected error; see the server log' } };
  }
}
