import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { LoggerService } from '@nestjs/common';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Redis from 'ioredis';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { STRIPE_WEBHOOK_PATH, type RawBodyRequest } from './payments/stripe-webhook.controller';
import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  IMPORT_CONTENT_TYPES,
  STATEMENT_CONTENT_TYPES,
  IMPORT_MAX_BYTES,
  type ApiErrorBody,
} from '@ruche/contracts';
import type { PlatformOptions } from '@ruche/platform';
import { AppModule } from './app.module';
import { registerSecurityHeaders } from './http/security-headers';

function nestLogger(logger: Logger): LoggerService {
  return {
    log: (message: unknown, context?: string) => logger.debug({ context }, String(message)),
    error: (message: unknown, trace?: string, context?: string) =>
      logger.error({ context, trace }, String(message)),
    warn: (message: unknown, context?: string) => logger.warn({ context }, String(message)),
    debug: (message: unknown, context?: string) => logger.debug({ context }, String(message)),
    verbose: (message: unknown, context?: string) => logger.trace({ context }, String(message)),
  };
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Builds the HTTP app (Fastify) around the platform: used by `main.ts` and by the tests. */
export async function createApiApp(platform: PlatformOptions): Promise<NestFastifyApplication> {
  const { config, logger } = platform;
  const adapter = new FastifyAdapter({
    loggerInstance: logger.child({ component: 'http' }),
    disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    // Refused by Fastify before any route (a path that is not valid percent-encoded UTF-8):
    // the same error body as every other answer, naming the path.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const requestId = String(request.id);
      const message = 'The path is not valid percent-encoded UTF-8';
      const body: ApiErrorBody =
        error.code === 'FST_ERR_BAD_URL'
          ? {
              statusCode: 400,
              code: 'bad_url',
              message,
              errors: [{ field: 'path', code: 'bad_url', message }],
              requestId,
            }
          : {
              statusCode: 500,
              code: 'internal_error',
              message: 'Internal error',
              errors: [],
              requestId,
            };
      if (body.statusCode === 500) logger.error({ err: error, requestId }, 'framework error');
      void reply
        .status(body.statusCode)
        .header('content-type', 'application/json; charset=utf-8')
        .send(body);
    },
    // Refused by Node's HTTP parser (headers over the size limit, broken HTTP, slow client):
    // answered with the same error body (Fastify's default has no code), then the socket closed.
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const [statusCode, code, field, message]: [number, string, string, string] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [
              431,
              'headers_too_large',
              'headers',
              'The request line and headers are over the size limit',
            ]
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request_timeout', 'request', 'The request did not arrive in time']
            : [400, 'malformed_request', 'request', 'The request is not valid HTTP'];
      const body = JSON.stringify({
        statusCode,
        code,
        message,
        errors: [{ field, code, message }],
      } satisfies ApiErrorBody);
      if (socket.writable)
        socket.write(
          `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
        );
      socket.destroy(error);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(platform),
    adapter,
    {
      logger: nestLogger(logger),
      abortOnError: false,
      // JSON only (Fastify's own parser): no form-encoded bodies, which a cross-site form could send.
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // Supporting documents (entry attachments) arrive as raw bodies of these types, up to 10 MB.
  // Uploaded files arrive as raw bodies: contact imports up to 20 MB, attachments and FEC files up to 10 MB.
  const rawTypes = [
    ...new Set<string>([
      ...ATTACHMENT_CONTENT_TYPES,
      ...IMPORT_CONTENT_TYPES,
      ...STATEMENT_CONTENT_TYPES,
    ]),
  ];
  fastify.addContentTypeParser(
    rawTypes,
    { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES },
    (request, body, done) => {
      const limit = /\/(imports|statements)\/?$/.test(request.url.split('?')[0])
        ? IMPORT_MAX_BYTES
        : ATTACHMENT_MAX_BYTES;
      if (body.length > limit) {
        done(
          Object.assign(new Error('Request body is too large'), {
            statusCode: 413,
            code: 'FST_ERR_CTP_BODY_TOO_LARGE',
          }),
          undefined,
        );
        return;
      }
      done(null, body);
    },
  );
  // Stripe signs the raw bytes of its webhooks: the JSON parser keeps them for that route only.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    if (request.url.startsWith(STRIPE_WEBHOOK_PATH)) {
      // Verified, then parsed once, by the Stripe SDK: no second parse here.
      (request as RawBodyRequest).rawBody = raw;
      done(null, {});
      return;
    }
    void parseJson(request, raw.toString('utf8'), done);
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // PostgreSQL text cannot hold U+0000: a NUL in the path (an id, a code) is refused before a route reads it.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!/%00/i.test(request.url.split('?')[0])) {
      done();
      return;
    }
    const message = 'The NUL character (%00) is not allowed in the path';
    void reply
      .status(400)
      .header('content-type', 'application/json; charset=utf-8')
      .send({
        statusCode: 400,
        code: 'bad_url',
        message,
        errors: [{ field: 'path', code: 'bad_url', message }],
        requestId: String(request.id),
      } satisfies ApiErrorBody);
  });
  await app.register(fastifyCookie as never);
  registerSecurityHeaders(fastify, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
  });
  // The public join and donation pages may be embedded in the association's own site (iframe snippet).
  // (Callback style: a second async onSend hook makes Fastify answer some sync routes twice.)
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/adhesion/') || request.url.startsWith('/don/')) {
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string')
        void reply.header(
          'content-security-policy',
          csp.replace("frame-ancestors 'self'", 'frame-ancestors *'),
        );
      reply.raw.removeHeader('x-frame-options');
    }
    done(null, payload);
  });
  const rateLimitRedis = config.redisUrl
    ? new Redis(config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 })
    : null;
  // The plugin never closes the client it is given: closed with the app.
  if (rateLimitRedis)
    fastify.addHook('onClose', async () => {
      rateLimitRedis.disconnect();
    });
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.loginRateLimitPerMinute,
    timeWindow: '1 minute',
    ...(rateLimitRedis
      ? { redis: rateLimitRedis, nameSpace: `${config.redisPrefix}:rate-limit:` }
      : {}),
  });
  if (config.corsOrigins.length > 0)
    app.enableCors({ origin: config.corsOrigins, credentials: true });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ruche API')
      .setDescription(
        'Management platform for associations. Organization routes live under /api/v1/orgs/{orgId}.',
      )
      .setVersion('1')
      .addCookieAuth('ruche_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });

  if (existsSync(config.adminDistDir)) {
    await app.register(fastifyStatic, {
      root: config.adminDistDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    logger.warn({ dir: config.adminDistDir }, 'admin build not found: run `npm run build:admin`');
  }
  await app.init();
  return app;
}
