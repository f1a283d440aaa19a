import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createLogger, loadConfig, ConfigError, startEmbeddedPostgres, type EmbeddedPostgres } from '@ruche/platform';
import { dataSourceOptions } from '@ruche/migrations';

async function withDataSource<T>(fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir);
    url = embedded.url;
  }
  const ds = new DataSource(dataSourceOptions(url, 1, 'ruche-cli'));
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

async function schemaDiff(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

const commands: Record<string, { help: string; run: (args: string[]) => Promise<number> }> = {
  migrate: {
    help: 'run pending migrations',
    run: () =>
      withDataSource(async (ds) => {
        const done = await ds.runMigrations({ transaction: 'each' });
        console.log(`migrate: ${done.length} migration(s) applied${done.map((m) => `\n  - ${m.name}`).join('')}`);
        return 0;
      }),
  },
  'migration-check': {
    help: 'fail when the entities and the migrated schema disagree (CI)',
    run: () =>
      withDataSource(async (ds) => {
        await ds.runMigrations({ transaction: 'each' });
        const diff = await schemaDiff(ds);
        if (diff.length === 0) {
          console.log('migration-check: entities and migrations agree');
          return 0;
        }
        console.error(`migration-check: ${diff.length} statement(s) missing from the migrations:\n${diff.join(';\n')};`);
        return 1;
      }),
  },
  'migration-diff': {
    help: 'print the SQL that would bring the migrated schema in line with the entities',
    run: () =>
      withDataSource(async (ds) => {
        await ds.runMigrations({ transaction: 'each' });
        console.log((await schemaDiff(ds)).map((q) => `${q};`).join('\n'));
        return 0;
      }),
  },
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log(`Usage: ruche <command>\n${Object.entries(commands).map(([n, c]) => `  ${n.padEnd(18)} ${c.help}`).join('\n')}`);
    return name ? 2 : 0;
  }
  return command.run(args);
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else createLogger('error').error({ err: error }, 'command failed');
    process.exit(1);
  });
