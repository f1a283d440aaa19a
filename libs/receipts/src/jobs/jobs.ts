declare module '@ruche/platform' {
  interface JobPayloads {
    /** Issues the receipt of one gift (per-gift mode), when the organization and donor are ready. */
    'receipts.issue-receipt': { organizationId: string; giftId: string };
    /** The year-end batch: one annual summary receipt per donor for the calendar year. */
    'receipts.annual-batch': { organizationId: string; year: number };
  }
}

export {};
