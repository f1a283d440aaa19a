import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { LoggerService } from '@nestjs/common';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { existsSync } from 'node:fs';
import { STRIPE_WEBHOOK_PATH, type RawBodyRequest } from './payments/stripe-webhook.controller';
import { randomUUID } from 'node:crypto';
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  IMPORT_CONTENT_TYPES,
  STATEMENT_CONTENT_TYPES,
  IMPORT_MAX_BYTES,
} from '@ruche/contracts';
import type { PlatformOptions } from '@ruche/platform';
import { AppModule } from './app.module';

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
    ...new Set<string>([...ATTACHMENT_CONTENT_TYPES, ...IMPORT_CONTENT_TYPES, ...STATEMENT_CONTENT_TYPES]),
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
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  await app.register(fastifyCookie as never);
  await app.register(fastifyHelmet, {
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
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.loginRateLimitPerMinute,
    timeWindow: '1 minute',
    ...(config.redisUrl
      ? {
          redis: new Redis(config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 }),
          nameSpace: `${config.redisPrefix}:rate-limit:`,
        }
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
