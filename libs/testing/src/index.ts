export * from './database';
export * from './smtp-sink';
export * from './test-app';
export * from './sessions';
export { FixedClock } from '@ruche/platform';
export * from './ledger-harness';
export * from './pdf';
export * from './fake-stripe';
