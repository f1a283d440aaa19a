export * from './infrastructure';
export * from './jobs/job-router';
export * from './jobs/processing.module';
export * from './demo/demo-seed';
export * from './demo/demo-members';
export * from './demo/demo-donations';
export * from './demo/demo-bank';
