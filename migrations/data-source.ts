import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './index';

/** For the TypeORM CLI: `typeorm -d dist/server/migrations/data-source.js ...`. */
export default new DataSource(
  dataSourceOptions(process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/ruche'),
);
