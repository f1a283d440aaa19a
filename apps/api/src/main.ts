import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ruche/platform';
import { LocalDate } from '@ruche/core';
import { bootInfrastructure, DEMO_EMAIL, DEMO_PASSWORD, ProcessingModule, seedDemo, seedDemoBank, seedDemoDonations, seedDemoMembers } from '@ruche/runtime';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const started = Date.now();
  const infra = await bootInfrastructure(loadConfig(), { applicationName: 'ruche-api', migrate: true });
  const { config, logger } = infra;
  const seed = config.seedDemo ? await seedDemo(infra.dataSource) : { created: false, organizationId: null };
  const seeded = seed.created;
  const app = await createApiApp({ config, logger, dataSource: infra.dataSource });
  if (seed.organizationId) {
    await seedDemoMembers((type) => app.get(type), seed.organizationId, LocalDate.fromInstant(new Date(), 'Europe/Paris'));
    await seedDemoDonations((type) => app.get(type), seed.organizationId, LocalDate.fromInstant(new Date(), 'Europe/Paris'));
    await seedDemoBank((type) => app.get(type), seed.organizationId, LocalDate.fromInstant(new Date(), 'Europe/Paris'));
  }
  if (config.runWorker) await app.get(ProcessingModule).start();
  await app.listen({ port: config.port, host: config.host });
  const lines = [
    '',
    `  Ruche is running: ${config.publicUrl}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  API docs:         ${config.publicUrl}/api/docs`,
    `  Database:         ${infra.embedded ? `embedded PGlite in ${config.dataDir}/pglite` : 'DATABASE_URL'}`,
    `  Jobs:             ${config.redisUrl ? (config.runWorker ? 'BullMQ, processed in this process' : 'BullMQ (start the worker: npm run start:worker)') : 'in process (no REDIS_URL)'}`,
    `  E-mails:          ${config.smtpUrl ? 'SMTP_URL' : `written to ${config.dataDir}/outbox/`}`,
    ...(config.seedDemo ? [`  Demo login:       ${DEMO_EMAIL} / ${DEMO_PASSWORD}${seeded ? ' (demo association created)' : ''}`] : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await infra.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
