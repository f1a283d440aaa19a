import { createTestApp, type TestApp, type TestAppOptions } from '@ruche/testing';
import { createApiApp } from './bootstrap';

/** The API under test: for the e2e specs of this app (see libs/testing). */
export function createTestApi(options: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp(createApiApp, options);
}
