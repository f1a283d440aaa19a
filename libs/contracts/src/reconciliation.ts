import { z } from 'zod';
import { accountNumberSchema, localDateSchema } from './accounting';
import { centsFromAmountSchema, optionalText, uuidSchema } from './common';
import type { BankLineView } from './bank';

/** What a match ties a bank line to. */
export const MATCH_KINDS = [
  'ledger',
  'payout',
  'cheque_deposit',
  'entry',
  'expected_payment',
] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
/** Who made it: the engine alone, a person, or a treasurer's rule. */
export const MATCH_ORIGINS = ['auto', 'manual', 'rule'] as const;
export type MatchOrigin = (typeof MATCH_ORIGINS)[number];
export const MATCH_STATUSES = ['active', 'undone'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];
export const RULE_DIRECTIONS = ['in', 'out', 'any'] as const;
export type RuleDirection = (typeof RULE_DIRECTIONS)[number];
export const RECONCILIATION_RUN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ReconciliationRunStatus = (typeof RECONCILIATION_RUN_STATUSES)[number];

export const reconciliationSettingsSchema = z
  .object({
    autoApply: z.boolean(),
    /** Score (0-100) from which a single proposal applies itself. Below 80 is refused: precision first. */
    autoThreshold: z.number().int().min(80).max(100),
    windowDays: z.number().int().min(0).max(31),
  })
  .strict();
export type ReconciliationSettingsInput = z.infer<typeof reconciliationSettingsSchema>;
export type ReconciliationSettingsView = ReconciliationSettingsInput;

export const reconciliationRuleInputSchema = z
  .object({
    name: z.string().trim().min(2).max(120),
    labelContains: z.string().trim().min(2).max(120),
    direction: z.enum(RULE_DIRECTIONS).default('any'),
    minAmount: centsFromAmountSchema.nullable().optional(),
    maxAmount: centsFromAmountSchema.nullable().optional(),
    accountNumber: accountNumberSchema,
    analytic: optionalText(50),
    autoApply: z.boolean().default(false),
    priority: z.number().int().min(0).max(1000).default(100),
    active: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.minAmount == null || r.maxAmount == null || r.minAmount <= r.maxAmount, {
    message: 'The minimum is above the maximum',
    path: ['minAmount'],
  });
export type ReconciliationRuleInput = z.infer<typeof reconciliationRuleInputSchema>;

export interface ReconciliationRuleView {
  id: string;
  name: string;
  labelContains: string;
  direction: RuleDirection;
  minAmountCents: number | null;
  maxAmountCents: number | null;
  accountNumber: string;
  analytic: string | null;
  autoApply: boolean;
  priority: number;
  active: boolean;
  createdAt: string;
}

/** A ledger line of the bank's 512x account not yet reconciled (signed as the bank shows it). */
export interface LedgerCandidateView {
  entryId: string;
  lineNo: number;
  kind: 'ledger' | 'payout' | 'cheque_deposit';
  date: string;
  amountCents: number;
  label: string;
  journalCode: string;
  entryNumber: number | null;
  pieceRef: string | null;
  source: string | null;
  counterpartyLabel: string | null;
}

export type SuggestionView =
  | {
      type: 'match';
      kind: 'ledger' | 'payout' | 'cheque_deposit';
      score: number;
      reasons: string[];
      /** The engine would apply it alone (single and high enough). */
      auto: boolean;
      candidates: LedgerCandidateView[];
      /**
       * One-to-many: the other waiting bank lines that, with this one, sum to the candidates
       * (a deposit credited in two lines). Confirm with all their ids in `bankLineIds`.
       * Empty when the proposal is for this line alone.
       */
      otherBankLines: BankLineView[];
    }
  | {
      type: 'rule';
      ruleId: string;
      ruleName: string;
      accountNumber: string;
      analytic: string | null;
      autoApply: boolean;
    }
  | {
      /** A payment announced and not received yet (a membership or a gift to be paid by transfer). */
      type: 'expected';
      paymentId: string;
      label: string;
      contactName: string | null;
      reference: string | null;
      amountCents: number;
      /** When it was announced. */
      date: string;
      score: number;
      reasons: string[];
      auto: boolean;
    }
  | {
      type: 'learned';
      accountNumber: string;
      /** Past lines with the same label shape sent to this account. */
      count: number;
      signature: string;
    };

/** A proposal the treasurer rejected for a bank line: never offered again for that line. */
export interface RejectionView {
  id: string;
  bankLineId: string;
  /** Ledger lines of the bank account (one, or a sum), or an announced transfer. */
  kind: 'ledger' | 'expected';
  /** `entryId:lineNo` of each ledger line, or the payment id. */
  candidateIds: string[];
  createdBy: string | null;
  createdAt: string;
}

export interface WorkspaceLineView extends BankLineView {
  suggestions: SuggestionView[];
  /** Proposals rejected for this line (waiting lines only), to withdraw a rejection. */
  rejections: RejectionView[];
  /** The active match of a matched line. */
  matchId: string | null;
  letter: string | null;
}

export const workspaceQuerySchema = z
  .object({
    status: z.enum(['unmatched', 'matched', 'ignored', 'all']).default('unmatched'),
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    q: optionalText(100),
    /** Only lines with a suggestion ('suggested') or without ('none'). */
    suggestions: z.enum(['any', 'suggested', 'none']).default('any'),
    direction: z.enum(['in', 'out', 'any']).default('any'),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type WorkspaceQuery = z.infer<typeof workspaceQuerySchema>;

export const candidateQuerySchema = z
  .object({
    from: localDateSchema.optional(),
    to: localDateSchema.optional(),
    q: optionalText(100),
    /** Signed cents, as the bank shows it. */
    amountCents: z.coerce.number().int().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type CandidateQuery = z.infer<typeof candidateQuerySchema>;

const ledgerLineRef = z
  .object({ entryId: uuidSchema, lineNo: z.number().int().min(1).max(32767) })
  .strict();

export const matchInputSchema = z
  .object({
    bankLineIds: z.array(uuidSchema).min(1).max(50),
    ledgerLines: z.array(ledgerLineRef).min(1).max(200),
  })
  .strict();
export type MatchInput = z.infer<typeof matchInputSchema>;

/** A bank line with no ledger counterpart (fees, a subscription...): post it to an account and letter it. */
export const lineEntryInputSchema = z
  .object({
    bankLineId: uuidSchema,
    accountNumber: accountNumberSchema,
    label: optionalText(200),
    analytic: optionalText(50),
    /** Also create a rule from this label ("label contains ..."). */
    rememberAs: z
      .object({
        name: z.string().trim().min(2).max(120),
        labelContains: z.string().trim().min(2).max(120),
        autoApply: z.boolean().default(false),
      })
      .strict()
      .optional(),
  })
  .strict();
export type LineEntryInput = z.infer<typeof lineEntryInputSchema>;

/** A waiting bank line is the expected payment: it is recorded as received and lettered. */
export const expectedMatchInputSchema = z
  .object({ bankLineId: uuidSchema, paymentId: uuidSchema })
  .strict();
export type ExpectedMatchInput = z.infer<typeof expectedMatchInputSchema>;

/** Rejects one proposal for a bank line: ledger lines (one, or a sum), or an announced transfer. */
export const rejectionInputSchema = z
  .object({
    ledgerLines: z.array(ledgerLineRef).min(1).max(10).optional(),
    paymentId: uuidSchema.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.ledgerLines === undefined) === (v.paymentId === undefined))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['ledgerLines'],
        message: 'Give either the ledger lines or the payment id of the rejected proposal',
      });
  });
export type RejectionInput = z.infer<typeof rejectionInputSchema>;

export const reasonInputSchema = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export type ReasonInput = z.infer<typeof reasonInputSchema>;

export interface MatchView {
  id: string;
  bankAccountId: string;
  letter: string;
  kind: MatchKind;
  origin: MatchOrigin;
  score: number | null;
  reasons: string[];
  amountCents: number;
  status: MatchStatus;
  createdEntryId: string | null;
  ruleId: string | null;
  createdBy: string | null;
  createdAt: string;
  undoneBy: string | null;
  undoneAt: string | null;
  undoReason: string | null;
  reversalEntryId: string | null;
  bankLines: BankLineView[];
  ledgerLines: LedgerCandidateView[];
  /** What stands behind a payout or a deposit slip: the charges, refunds, fees, or the cheques. */
  details: MatchDetailView[];
}

export interface MatchDetailView {
  label: string;
  amountCents: number;
  date: string | null;
  reference: string | null;
  /** e.g. `payment:<id>` so the admin can link to it. */
  link: string | null;
}

export const matchListQuerySchema = z
  .object({
    status: z.enum(MATCH_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();
export type MatchListQuery = z.infer<typeof matchListQuerySchema>;

export interface ReconciliationRunView {
  id: string;
  bankAccountId: string;
  status: ReconciliationRunStatus;
  total: number;
  processed: number;
  autoMatched: number;
  suggested: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const balanceQuerySchema = z.object({ date: localDateSchema.optional() }).strict();

/**
 * The bank balance check (état de rapprochement) at a date: the 512x ledger balance, the bank's
 * balance, and what explains the difference (lines on one side not yet on the other).
 */
export interface BalanceCheckView {
  date: string;
  /** The first imported statement's day: ledger lines before it are taken as settled. */
  since: string | null;
  accountNumber: string;
  /** Debit minus credit of the 512x account up to the date (posted entries), as the bank shows it. */
  ledgerBalanceCents: number;
  /** The bank's balance at the date: last statement closing on or before it plus later lines up to it. Null without a statement balance. */
  bankBalanceCents: number | null;
  bankBalanceSource: string | null;
  /** Bank lines up to the date not reconciled (money the books do not have yet). */
  unmatchedBankCents: number;
  unmatchedBankCount: number;
  /** Ledger lines up to the date not on the bank yet (cheques in transit...). */
  unmatchedLedgerCents: number;
  unmatchedLedgerCount: number;
  /** bank - (ledger + unmatched bank - unmatched ledger): zero when everything is explained. */
  unexplainedCents: number | null;
}
