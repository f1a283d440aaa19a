import type { EntityManager } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { PaymentMethod, PaymentPurpose, PaymentStatus, PostingRole } from '@ruche/contracts';

/** What the owning domain is told about its payment. */
export interface PaymentSnapshot {
  id: string;
  purpose: PaymentPurpose;
  purposeId: string | null;
  contactId: string | null;
  status: PaymentStatus;
  previousStatus: PaymentStatus;
  method: PaymentMethod | null;
  amountCents: number;
  /** Given back so far (refunds), never more than the amount. */
  refundedCents: number;
  currency: string;
  paidOn: string | null;
  entryId: string | null;
  reference: string | null;
  locale: 'fr' | 'en';
}

/** Work to run once the transaction committed (live events, e-mails already queued...). */
export type AfterCommit = () => Promise<void>;

/**
 * A domain that sells something (memberships, donations) reacts to its payments here, inside the
 * payment's transaction: payments does not know what a payment is for.
 */
export interface PaymentPurposeHandler {
  readonly purpose: PaymentPurpose;
  onStatusChanged(
    ctx: OrgContext,
    payment: PaymentSnapshot,
    tx: EntityManager,
  ): Promise<AfterCommit | void>;
  /**
   * A subscription bills again: what this invoice pays (the owning domain may create it, e.g. the
   * membership's renewal). null: nothing to pay for any more (the payment is recorded unassigned).
   */
  nextPurpose?(
    ctx: OrgContext,
    input: NextPurposeInput,
    tx: EntityManager,
  ): Promise<NextPurpose | null>;
}

export interface NextPurposeInput {
  contactId: string | null;
  /** What the subscription buys again (a membership plan's id). */
  purposeRef: string | null;
  /** First day the invoice covers, in the organization's time zone. */
  periodStart: string;
  interval: 'year' | 'month';
}

export interface NextPurpose {
  purposeId: string;
  label: string;
  revenueRole: Extract<PostingRole, `${string}_revenue`>;
  revenueAccount: string | null;
  after?: AfterCommit;
}
