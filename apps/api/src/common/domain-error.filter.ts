import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { type AuditRepository, DuplicateEmailError, DuplicateExternalIdError, type SecurityEventRepository } from '#libs/db';
import { ReviewConflictError } from '../reviews/review-conflict.error.js';
import { ForbiddenError, TooManyAttemptsError, UnauthorizedError } from '../auth/auth.errors.js';
import type { AuthenticatedRequest } from '../auth/principal.js';
import { InvalidCursorError } from '#libs/db';
import { CallInPipelineError, RecordingDeletedError, StageInputsMissingError } from '#libs/calls';
import { InvalidObjectKeyError, NotFoundInStorageError } from '#libs/storage';
import { RuleCatalogError } from '#libs/rule-catalog';
import { QuestionCatalogError } from '#libs/llm-checks';
import { RequestValidationError } from './request-validation.error.js';
import { NotFoundError } from './not-found.error.js';
import { NotReadyError } from './not-ready.error.js';
import { TranscriptionNotConfiguredError } from '../calls/transcription-not-configured.error.js';

/** The one place that maps errors to HTTP status codes. Domain and worker code never throw HTTP exceptions. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  constructor(
    private readonly uploadMaxBytes: number,
    private readonly audit: AuditRepository,
    private readonly securityEvents: SecurityEventRepository,
  ) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const { status, body } = httpAnswerOf(error, this.uploadMaxBytes);
    if (status >= 500) this.logger.error((error as Error).message, (error as Error).stack);
    if (error instanceof UnauthorizedError) response.setHeader('WWW-Authenticate', 'Bearer realm="earshot"');
    if (error instanceof TooManyAttemptsError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (error instanceof ForbiddenError) await this.auditDenial(error, http.getRequest<AuthenticatedRequest>());
    response.status(status).json({ statusCode: status, ...body });
  }

  /**
   * A refused request leaves no trace but this entry: on the audit chain when someone signed in was refused, as a
   * security event (unchained, no lock) when nobody was, so anonymous floods never slow audited work.
   */
  private async auditDenial(error: ForbiddenError, request: AuthenticatedRequest): Promise<void> {
    try {
      const entry = {
        actor: request.principal?.label ?? 'anonymous',
        action: 'access.denied',
        entityType: 'endpoint',
        entityId: truncated(`${request.method} ${request.route?.path ?? request.path}`, MAX_AUDITED_PATH),
        // a URL can be 16 KB: the entry keeps enough to see what was asked, not whatever a caller chose to send
        details: { path: truncated(request.originalUrl, MAX_AUDITED_PATH), role: request.principal?.role ?? null, reason: truncated(error.message, MAX_AUDITED_PATH) },
      };
      if (request.principal) await this.audit.append(entry);
      else await this.securityEvents.record(entry);
    } catch (auditError) {
      this.logger.error(`could not audit a denied request: ${(auditError as Error).message}`);
    }
  }
}

/** The status and body an error is answered with (every status code the API answers an error with is decided here). */
export function httpAnswerOf(error: unknown, uploadMaxBytes: number): { status: number; body: Record<string, unknown> } {
  if (error instanceof UnauthorizedError) return { status: 401, body: { error: 'unauthorized', message: error.message } };
  if (error instanceof ForbiddenError) return { status: 403, body: { error: 'forbidden', message: error.message, allowedRoles: error.allowedRoles } };
  if (error instanceof TooManyAttemptsError) return { status: 429, body: { error: 'too many requests', message: error.message, retryAfterSeconds: error.retryAfterSeconds } };
  if (error instanceof TranscriptionNotConfiguredError) return { status: 422, body: { error: 'transcription not configured', message: error.message } };
  if (error instanceof NotReadyError) return { status: 409, body: { error: 'not ready', message: error.message } };
  if (error instanceof ReviewConflictError) {
    return { status: 409, body: { error: 'conflict', message: error.message, findingId: error.findingId, current: error.current } };
  }
  if (error instanceof CallInPipelineError) {
    return { status: 409, body: { error: 'conflict', message: error.message, callId: error.callId, callStatus: error.status, currentStage: error.currentStage } };
  }
  if (error instanceof StageInputsMissingError) {
    return { status: 409, body: { error: 'conflict', message: error.message, callId: error.callId, failedStage: error.failedStage } };
  }
  if (error instanceof DuplicateEmailError) return { status: 409, body: { error: 'conflict', message: [error.message] } };
  if (error instanceof RuleCatalogError) {
    const status = error.kind === 'invalid' ? 400 : error.kind === 'not_found' ? 404 : 409;
    return { status, body: { error: error.kind === 'invalid' ? 'invalid request' : error.kind.replace('_', ' '), message: error.problems } };
  }
  if (error instanceof QuestionCatalogError) {
    const status = { invalid: 400, not_found: 404, read_only: 409, conflict: 409, unavailable: 503 }[error.kind];
    return { status, body: { error: error.kind === 'invalid' ? 'invalid request' : error.kind.replace('_', ' '), message: error.problems } };
  }
  if (error instanceof RequestValidationError) {
    return { status: error.status, body: { error: 'invalid request', message: error.problems } };
  }
  if (error instanceof NotFoundError || error instanceof NotFoundInStorageError) {
    return { status: 404, body: { error: 'not found', message: error.message } };
  }
  if (error instanceof RecordingDeletedError) {
    return { status: 410, body: { error: 'gone', message: error.message } };
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
          message: `the upload is larger than the limit of ${uploadMaxBytes} bytes (UPLOAD_MAX_BYTES)`,
        },
      };
    }
    const response = error.getResponse();
    return { status, body: typeof response === 'string' ? { message: response } : (response as Record<string, unknown>) };
  }
  return { status: 500, body: { error: 'internal error', message: 'unexpected error; see the server log' } };
}

const MAX_AUDITED_PATH = 512;

function truncated(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
