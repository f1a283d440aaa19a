export * from './common';
export * from './auth';
export * from './organizations';
export * from './accounting';
export * from './webhooks';
export * from './contacts';
export * from './memberships';
export * from './imports';
