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
});
