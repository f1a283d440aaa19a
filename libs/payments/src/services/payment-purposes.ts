import type { EntityManager } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { PaymentMethod, PaymentPurpose, PaymentStatus } from '@ruche/contracts';

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
}
