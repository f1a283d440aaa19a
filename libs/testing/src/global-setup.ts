import 'reflect-metadata';
import { createTemplateDatabase } from './database';

/** jest globalSetup: migrate the template database once for the whole run. */
export default async function globalSetup(): Promise<void> {
  await createTemplateDatabase();
}
