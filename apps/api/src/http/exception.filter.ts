import { ArgumentsHost, Catch, HttpException, Inject, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError, type DomainErrorKind } from '@ruche/core';
import type { ApiErrorBody } from '@ruche/contracts';
import { APP_CONFIG, LOGGER, PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, isDatabaseUnavailable, pgErrorCode, type AppConfig } from '@ruche/platform';
import { RequestValidationError } from './zod';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  rate_limited: 429,
  unavailable: 503,
};

/** When a client may try again after a 503 that did not say (a database restart takes seconds). */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place where errors become HTTP answers: domain errors by kind, validation as 400 with
 * every field, framework errors with their status, database outages as 503, the rest as a logged 500.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private indexHtml: Promise<string | null> | null = null;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (reply.sent) return;
    const body = this.toBody(exception, request);
    if (body.statusCode === 404 && request.method === 'GET' && !request.url.startsWith('/api')) {
      const html = await this.adminIndex();
      if (html) {
        await reply.status(200).header('content-type', 'text/html; charset=utf-8').send(html);
        return;
      }
    }
    const retryAfter = exception instanceof DomainError ? exception.retryAfterSeconds : undefined;
    if (body.statusCode === 429 && retryAfter) void reply.header('retry-after', String(retryAfter));
    if (body.statusCode === 503) void reply.header('retry-after', String(retryAfter ?? UNAVAILABLE_RETRY_AFTER_SECONDS));
    await reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ApiErrorBody {
    const requestId = String(request.id);
    if (exception instanceof RequestValidationError) {
      return { statusCode: 400, code: 'validation_failed', message: 'Invalid request', errors: exception.errors, requestId };
    }
    if (exception instanceof DomainError) {
      return {
        statusCode: STATUS[exception.kind],
        code: exception.code,
        message: exception.message,
        errors: exception.details,
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const bodyProblem = status === 400 || status === 413 || status === 415;
      const code = status === 404 ? 'not_found' : status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : bodyProblem ? 'malformed_body' : `http_${status}`;
      return {
        statusCode: status,
        code,
        message: status === 404 ? 'Not found' : exception.message,
        errors: bodyProblem ? [{ field: 'body', code, message: exception.message }] : [],
        requestId,
      };
    }
    const code = pgErrorCode(exception);
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      const field = fastifyError.code?.startsWith('FST_ERR_CTP') || fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body' : '';
      return {
        statusCode: fastifyError.statusCode,
        // The login rate limit (@fastify/rate-limit) throws a 429 without a code.
        code: (fastifyError.code ?? (fastifyError.statusCode === 429 ? 'rate_limited' : 'bad_request')).toLowerCase(),
        message: fastifyError.message ?? 'Bad request',
        errors: field ? [{ field, code: (fastifyError.code ?? '').toLowerCase(), message: fastifyError.message ?? '' }] : [],
        requestId,
      };
    }
    if (code === PG_UNIQUE_VIOLATION) {
      return { statusCode: 409, code: 'conflict', message: 'This record already exists', errors: [], requestId };
    }
    if (code === PG_FOREIGN_KEY_VIOLATION) {
      return { statusCode: 422, code: 'reference_not_found', message: 'A referenced record does not exist', errors: [], requestId };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.error({ err: exception, requestId }, 'database unavailable');
      return { statusCode: 503, code: 'unavailable', message: 'Service temporarily unavailable', errors: [], requestId };
    }
    this.logger.error({ err: exception, requestId, url: request.url }, 'unhandled error');
    return { statusCode: 500, code: 'internal_error', message: 'Internal error', errors: [], requestId };
  }

  private adminIndex(): Promise<string | null> {
    this.indexHtml ??= readFile(path.join(this.config.adminDistDir, 'index.html'), 'utf8').catch(() => null);
    return this.indexHtml;
  }
}
