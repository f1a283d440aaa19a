import { ConfigError, loadConfig } from './config';

describe('config', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, redisUrl: undefined, runWorker: true, seedDemo: true, databasePoolSize: 1 });
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('uses the real services when their URLs are set, and leaves the worker to its own process', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/ruche', REDIS_URL: 'redis://cache:6379', SMTP_URL: 'smtp://mail:25' });
    expect(config).toMatchObject({ runWorker: false, seedDemo: false, databasePoolSize: 10, smtpUrl: 'smtp://mail:25' });
  });

  it('names every wrong variable and the reason', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      throw new Error('should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).issues.map((i) => i.variable).sort();
      expect(variables).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
      expect((error as ConfigError).message).toContain('DATABASE_URL: must start with postgres:// or postgresql://');
    }
  });

  it('requires an encryption key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u@db/r' })).toThrow(/RUCHE_ENCRYPTION_KEY/);
  });

  it('accepts only a 32-byte base64 encryption key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', RUCHE_ENCRYPTION_KEY: key }).encryptionKey).toBe(key);
    const tooLong = Buffer.alloc(48, 7).toString('base64');
    expect(() => loadConfig({ RUCHE_ENCRYPTION_KEY: tooLong })).toThrow(/RUCHE_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(() => loadConfig({ RUCHE_ENCRYPTION_KEY: 'not base64 at all, but long enough to pass a length check' })).toThrow(/RUCHE_ENCRYPTION_KEY/);
  });

  it('trusts X-Forwarded-For only when told which proxies to trust', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', RUCHE_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });
});
