import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ReconciliationService } from '@ruche/accounting';
import { PaymentsService } from './payments.service';
import type { MatchDetailView } from '@ruche/contracts';

/**
 * Tells the reconciliation what stands behind the bank entries payments post: a Stripe payout's
 * charges, refunds, disputes and fees, and a deposit slip's cheques. So one bank line reconciles
 * the whole chain (bank line -> payout -> charges -> members and donors) at once. It also offers
 * the transfers payers announced, so that their bank line records them as received.
 */
@Injectable()
export class ReconciliationDetails implements OnModuleInit {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly payments: PaymentsService,
  ) {}

  onModuleInit(): void {
    // Transfers announced on the join page (and their references) are what bank lines may pay.
    this.reconciliation.registerExpected({
      list: (ctx, m) => this.payments.expectedTransfers(ctx, m),
      confirm: (ctx, paymentId, arrival, m) =>
        this.payments.confirmExpectedTransfer(ctx, paymentId, arrival, m),
    });
    this.reconciliation.registerDetails('stripe:po_', async (ctx, source, m) => {
      const rows = await m.query<
        {
          type: string;
          source: string | null;
          amount_cents: string;
          fee_cents: string;
          net_cents: string;
          payment_id: string | null;
          label: string | null;
          paid_on: string | null;
        }[]
      >(
        `SELECT i.type, i.source, i.amount_cents, i.fee_cents, i.net_cents, i.payment_id, p.label, p.paid_on::text AS paid_on
           FROM payouts po
           JOIN payout_items i ON i.organization_id = po.organization_id AND i.payout_id = po.id
           LEFT JOIN payments p ON p.organization_id = i.organization_id AND p.id = i.payment_id
          WHERE po.organization_id = $1 AND po.stripe_payout_id = $2 AND i.type <> 'payout'
          ORDER BY p.paid_on NULLS LAST, i.balance_transaction_id`,
        [ctx.organizationId, source.slice('stripe:'.length)],
      );
      return rows.map((r): MatchDetailView => ({
        label:
          r.label ??
          (r.type === 'stripe_fee' ? 'Frais Stripe' : `${r.type} ${r.source ?? ''}`.trim()),
        amountCents: Number(r.net_cents),
        date: r.paid_on,
        reference: r.source,
        link: r.payment_id ? `payment:${r.payment_id}` : null,
      }));
    });
    this.reconciliation.registerDetails('cheque-deposit:', async (ctx, source, m) => {
      const rows = await m.query<
        {
          id: string;
          label: string;
          amount_cents: string;
          paid_on: string | null;
          reference: string | null;
          cheque_drawer: string | null;
        }[]
      >(
        `SELECT p.id, p.label, p.amount_cents, p.paid_on::text AS paid_on, p.reference, p.cheque_drawer
           FROM payments p WHERE p.organization_id = $1 AND p.deposit_id = $2 ORDER BY p.paid_on, p.id`,
        [ctx.organizationId, source.slice('cheque-deposit:'.length)],
      );
      return rows.map((r) => ({
        label: r.cheque_drawer ? `${r.label} (${r.cheque_drawer})` : r.label,
        amountCents: Number(r.amount_cents),
        date: r.paid_on,
        reference: r.reference,
        link: `payment:${r.id}`,
      }));
    });
  }
}
