declare module '@ruche/platform' {
  interface JobPayloads {
    /** Processes one stored Stripe event (the key is the organization and Stripe's event id). */
    'payments.process-stripe-event': { organizationId: string; eventId: string };
    /** Backfills Stripe history (balance transactions, payouts) for a date range. */
    'payments.stripe-sync': { organizationId: string; syncId: string };
  }
}

export {};
