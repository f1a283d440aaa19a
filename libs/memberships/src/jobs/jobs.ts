declare module '@ruche/platform' {
  interface JobPayloads {
    /** Runs an uploaded contact import (dry run or apply); `runSeq` tells runs apart. */
    'memberships.run-import': { organizationId: string; importId: string; runSeq: number };
  }
}

export {};
