declare module '@ruche/platform' {
  interface JobPayloads {
    /** Processes one stored Stripe event (the key is the organization and Stripe's event id). */
    'payments.process-stripe-event': { organizationId: string; eventId: string };
  }
}

export {};
