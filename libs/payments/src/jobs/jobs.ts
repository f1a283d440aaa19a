declare module '@ruche/platform' {
  interface JobPayloads {
    /** Processes one stored Stripe event (the key is the organization and Stripe's event id). */
    'payments.process-stripe-event': { organizationId: string; eventId: string };
    /**
     * One organization's events of a stored webhook batch: the worker gives each its own
     * `payments.process-stripe-event` job (one queue write per batch on the webhook's path).
     */
    'payments.fan-out-stripe-events': { organizationId: string; eventIds: string[] };
    /** Backfills Stripe history (balance transactions, payouts) for a date range. */
    'payments.stripe-sync': { organizationId: string; syncId: string };
  }
}

export {};
