declare module '@ruche/platform' {
  interface JobPayloads {
    /** An automatic matching pass over a bank account's waiting lines (after an import, or asked). */
    'reconciliation.auto-match': { organizationId: string; runId: string };
  }
}

export {};
