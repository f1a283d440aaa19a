import { z } from 'zod';
import path from 'node:path';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const urlWithProtocol = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Every environment variable Ruche reads, parsed once at boot. Documented in .env.example. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: urlWithProtocol(['postgres', 'postgresql']).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  REDIS_URL: urlWithProtocol(['redis', 'rediss']).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('ruche'),
  RUN_WORKER: booleanFromEnv.optional(),
  SMTP_URL: urlWithProtocol(['smtp', 'smtps']).optional(),
  MAIL_FROM: z.string().default('Ruche <no-reply@ruche.local>'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 14),
  /**
   * How long an API process may answer from memory for a session it has already checked (its
   * user and role included), in seconds; 0 turns the cache off. Logout, password reset, role
   * change and removal reach every process at once (Redis pub/sub when REDIS_URL is set): this is
   * only the bound on staleness when that bus is broken without the process knowing.
   */
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  COOKIE_SECURE: booleanFromEnv.optional(),
  CORS_ORIGINS: z.string().default(''),
  RUCHE_ENCRYPTION_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes in base64 (openssl rand -base64 32)',
    })
    .optional(),
  /**
   * Which proxies may set X-Forwarded-For (client IPs feed the login rate limit and the audit
   * log): "false" (default, direct connections), "true" (trust every hop: only behind a proxy
   * that overwrites the header), a hop count ("1"), or comma-separated addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, {
      message: 'true, false, a hop count, or comma-separated IP addresses/CIDRs',
    })
    .default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: booleanFromEnv.optional(),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  ADMIN_DIST_DIR: z.string().optional(),
  /** Where the Stripe SDK sends its calls (tests point it at a local server); default api.stripe.com. */
  STRIPE_API_BASE: z.string().url().optional(),
  /** Webhook signature tolerance in seconds (Stripe's default: 300). */
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** How often each organization's Stripe event list is read to replay events never received. */
  STRIPE_CATCH_UP_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** How long a worker holds a job before another may take it over (a crashed worker's jobs). */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** How often the sweep re-enqueues work left pending (a crash between commit and enqueue). */
  JOB_SWEEP_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  embeddedDbPort: number;
  redisUrl: string | undefined;
  redisPrefix: string;
  runWorker: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionTtlHours: number;
  sessionCacheSeconds: number;
  cookieSecure: boolean;
  corsOrigins: string[];
  encryptionKey: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  seedDemo: boolean;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  adminDistDir: string;
  trustProxy: boolean | number | string[];
  stripeApiBase: string | undefined;
  stripeWebhookToleranceSeconds: number;
  stripeCatchUpMinutes: number;
  jobLockMs: number;
  jobSweepMs: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; a wrong variable stops the boot with its name and the reason. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '?'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production && !env.RUCHE_ENCRYPTION_KEY) {
    throw new ConfigError([
      {
        variable: 'RUCHE_ENCRYPTION_KEY',
        message: 'is required in production (32 random bytes, base64)',
      },
    ]);
  }
  const port = env.PORT;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_URL ? env.DATABASE_POOL_SIZE : 1,
    embeddedDbPort: env.EMBEDDED_DB_PORT,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    runWorker: env.RUN_WORKER ?? !env.REDIS_URL,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    sessionCacheSeconds: env.SESSION_CACHE_SECONDS,
    cookieSecure: env.COOKIE_SECURE ?? production,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    encryptionKey: env.RUCHE_ENCRYPTION_KEY,
    logLevel: env.LOG_LEVEL,
    seedDemo: env.SEED_DEMO ?? !env.DATABASE_URL,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginLockMinutes: env.LOGIN_LOCK_MINUTES,
    loginRateLimitPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    adminDistDir: path.resolve(env.ADMIN_DIST_DIR ?? 'dist/admin'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    stripeApiBase: env.STRIPE_API_BASE,
    stripeWebhookToleranceSeconds: env.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    stripeCatchUpMinutes: env.STRIPE_CATCH_UP_MINUTES,
    jobLockMs: env.JOB_LOCK_MS,
    jobSweepMs: env.JOB_SWEEP_MS,
  };
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Outside production, a missing RUCHE_ENCRYPTION_KEY is generated once and kept in
 * <data>/encryption.key so that the embedded start works with nothing set.
 */
export function ensureEncryptionKey(config: AppConfig): AppConfig {
  if (config.encryptionKey) return config;
  const file = path.join(config.dataDir, 'encryption.key');
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (!fs.existsSync(file))
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return { ...config, encryptionKey: fs.readFileSync(file, 'utf8').trim() };
}
