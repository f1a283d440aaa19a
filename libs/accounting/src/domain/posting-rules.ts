import type { JournalKind, PostingRole } from '@ruche/contracts';

/** The journals every organization starts with (codes are conventional and editable). */
export const DEFAULT_JOURNALS: readonly { code: string; label: string; kind: JournalKind }[] = [
  { code: 'BQ', label: 'Banque', kind: 'bank' },
  { code: 'CA', label: 'Caisse', kind: 'cash' },
  { code: 'ST', label: 'Stripe', kind: 'psp' },
  { code: 'CO', label: 'Cotisations et ventes', kind: 'sales' },
  { code: 'HA', label: 'Achats', kind: 'purchases' },
  { code: 'OD', label: 'Opérations diverses', kind: 'miscellaneous' },
  { code: 'AN', label: 'À-nouveaux', kind: 'opening' },
];

/** Which account each role uses until the treasurer says otherwise (ANC 2018-06 chart). */
export const DEFAULT_POSTING_ACCOUNTS: Readonly<Record<PostingRole, string>> = {
  bank: '5121',
  cash: '530',
  cheques_to_deposit: '5112',
  card_clearing: '51151',
  internal_transfers: '580',
  bank_fees: '627',
  membership_revenue: '7561',
  donation_revenue: '75411',
  sponsorship_revenue: '7542',
  bequest_revenue: '75432',
  services_revenue: '706',
  members_receivable: '411',
  disputes: '46711',
  /** The amount of a lost dispute: a charge (accounting.md: "or a 6xx loss account, per setting"). */
  dispute_losses: '6581',
  suspense: '471',
  deferred_revenue: '487',
  opening_equity: '102',
  retained_earnings_credit: '110',
  retained_earnings_debit: '119',
  result_surplus: '120',
  result_deficit: '129',
};

export type RevenueRole = Extract<PostingRole, `${string}_revenue`>;

/**
 * Money events that other domains post. Amounts in cents; `revenueAccount` lets a membership
 * plan or a donation campaign credit its own account instead of the role's.
 */
export type PostingEvent =
  | {
      kind: 'card_payment';
      grossCents: number;
      feeCents: number;
      revenue: RevenueRole;
      revenueAccount?: string;
    }
  | { kind: 'card_refund'; amountCents: number; revenue: RevenueRole; revenueAccount?: string }
  | { kind: 'dispute_funds_withdrawn'; amountCents: number; feeCents: number }
  /**
   * The amount of a lost dispute goes to the `dispute_losses` role (6581 by default; a treasurer
   * who prefers to reduce the revenue sets the role to the revenue account, 75411 for gifts).
   * `revenue` names what was paid, for the record.
   */
  | { kind: 'dispute_lost'; amountCents: number; revenue: RevenueRole; revenueAccount?: string }
  | { kind: 'dispute_funds_reinstated'; amountCents: number; feeReturnedCents: number }
  | { kind: 'psp_payout'; amountCents: number }
  | { kind: 'psp_fee'; feeCents: number }
  | { kind: 'cheque_received'; amountCents: number; revenue: RevenueRole; revenueAccount?: string }
  | { kind: 'cheque_deposit'; chequesCents: readonly number[] }
  | { kind: 'cash_received'; amountCents: number; revenue: RevenueRole; revenueAccount?: string }
  | { kind: 'cash_deposit'; amountCents: number }
  | {
      kind: 'transfer_received';
      amountCents: number;
      revenue: RevenueRole;
      revenueAccount?: string;
      /** The 512x account the transfer reached, when not the organization's default bank account. */
      bankAccount?: string;
    }
  /**
   * A gift in kind, or expenses a volunteer renounces (abandon de frais): no money moves; the
   * goods or the expense (`debitAccount`) against the gift's revenue.
   */
  | {
      kind: 'gift_in_kind';
      amountCents: number;
      debitAccount: string;
      revenue: RevenueRole;
      revenueAccount?: string;
    }
  /** Money received at the desk given back: by transfer or cheque from the bank, or in cash. */
  | {
      kind: 'offline_refund';
      amountCents: number;
      via: 'bank' | 'cash';
      revenue: RevenueRole;
      revenueAccount?: string;
    };

export interface RuleLine {
  account: string;
  debitCents: number;
  creditCents: number;
}

export interface RuleEntry {
  journalKind: JournalKind;
  lines: RuleLine[];
}

const debit = (account: string, cents: number): RuleLine => ({
  account,
  debitCents: cents,
  creditCents: 0,
});
const credit = (account: string, cents: number): RuleLine => ({
  account,
  debitCents: 0,
  creditCents: cents,
});

/**
 * The posting rules: which lines each money event produces, given the organization's accounts
 * per role. Zero lines (no fee) are left out; the result is always balanced.
 */
export function linesFor(
  event: PostingEvent,
  accounts: Readonly<Record<PostingRole, string>>,
): RuleEntry {
  const revenue = (e: { revenue: RevenueRole; revenueAccount?: string }) =>
    e.revenueAccount ?? accounts[e.revenue];
  const entry = (journalKind: JournalKind, lines: RuleLine[]): RuleEntry => ({
    journalKind,
    lines: lines.filter((l) => l.debitCents > 0 || l.creditCents > 0),
  });
  switch (event.kind) {
    case 'card_payment':
      return entry('psp', [
        debit(accounts.card_clearing, event.grossCents - event.feeCents),
        debit(accounts.bank_fees, event.feeCents),
        credit(revenue(event), event.grossCents),
      ]);
    case 'card_refund':
      return entry('psp', [
        debit(revenue(event), event.amountCents),
        credit(accounts.card_clearing, event.amountCents),
      ]);
    case 'dispute_funds_withdrawn':
      return entry('psp', [
        debit(accounts.disputes, event.amountCents),
        debit(accounts.bank_fees, event.feeCents),
        credit(accounts.card_clearing, event.amountCents + event.feeCents),
      ]);
    case 'dispute_lost':
      return entry('miscellaneous', [
        debit(accounts.dispute_losses, event.amountCents),
        credit(accounts.disputes, event.amountCents),
      ]);
    case 'dispute_funds_reinstated':
      return entry('psp', [
        debit(accounts.card_clearing, event.amountCents + event.feeReturnedCents),
        credit(accounts.disputes, event.amountCents),
        credit(accounts.bank_fees, event.feeReturnedCents),
      ]);
    case 'psp_payout':
      return entry('bank', [
        debit(accounts.bank, event.amountCents),
        credit(accounts.card_clearing, event.amountCents),
      ]);
    case 'psp_fee':
      return entry('psp', [
        debit(accounts.bank_fees, event.feeCents),
        credit(accounts.card_clearing, event.feeCents),
      ]);
    case 'cheque_received':
      return entry('bank', [
        debit(accounts.cheques_to_deposit, event.amountCents),
        credit(revenue(event), event.amountCents),
      ]);
    case 'cheque_deposit': {
      const total = event.chequesCents.reduce((sum, c) => sum + c, 0);
      return entry('bank', [
        debit(accounts.bank, total),
        ...event.chequesCents.map((c) => credit(accounts.cheques_to_deposit, c)),
      ]);
    }
    case 'cash_received':
      return entry('cash', [
        debit(accounts.cash, event.amountCents),
        credit(revenue(event), event.amountCents),
      ]);
    case 'cash_deposit':
      return entry('bank', [
        debit(accounts.bank, event.amountCents),
        credit(accounts.cash, event.amountCents),
      ]);
    case 'transfer_received':
      return entry('bank', [
        debit(event.bankAccount ?? accounts.bank, event.amountCents),
        credit(revenue(event), event.amountCents),
      ]);
    case 'gift_in_kind':
      return entry('miscellaneous', [
        debit(event.debitAccount, event.amountCents),
        credit(revenue(event), event.amountCents),
      ]);
    case 'offline_refund':
      return event.via === 'cash'
        ? entry('cash', [
            debit(revenue(event), event.amountCents),
            credit(accounts.cash, event.amountCents),
          ])
        : entry('bank', [
            debit(revenue(event), event.amountCents),
            credit(accounts.bank, event.amountCents),
          ]);
  }
}
