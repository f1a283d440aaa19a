import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import {
  BankAccountEntity,
  BankStatementLineEntity,
} from '../../bank-statements/entities/bank.entities';
import { JournalEntryLineEntity } from '../../entities/journal-entry-line.entity';
import type {
  MatchKind,
  MatchOrigin,
  MatchStatus,
  ReconciliationRunStatus,
  RuleDirection,
} from '@ruche/contracts';

/** How the organization reconciles: the score from which a match applies itself, the date window. */
@Entity({ name: 'reconciliation_settings' })
export class ReconciliationSettingsEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_settings' })
  organizationId!: string;

  @Column('boolean', { default: true })
  autoApply!: boolean;

  @Column('smallint', { default: 90 })
  autoThreshold!: number;

  @Column('smallint', { default: 5 })
  windowDays!: number;

  /** Last lettering code number given (codes are A, B, ... Z, AA, AB...). */
  @Column('bigint', { default: 0 })
  lastLetter!: string;

  @Column('timestamptz')
  updatedAt!: Date;
}

/** A treasurer's rule: "label contains FREE MOBILE -> 626". */
@Entity({ name: 'reconciliation_rules' })
@Unique('uq_reconciliation_rules_org_id', ['organizationId', 'id'])
@Index('ix_reconciliation_rules_org', ['organizationId', 'priority'])
@Check('ck_reconciliation_rules_direction', `"direction" IN ('in', 'out', 'any')`)
export class ReconciliationRuleEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_rules' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 120 })
  name!: string;

  @Column('varchar', { length: 120 })
  labelContains!: string;

  @Column('varchar', { length: 3 })
  direction!: RuleDirection;

  @Column('bigint', { nullable: true })
  minAmountCents!: string | null;

  @Column('bigint', { nullable: true })
  maxAmountCents!: string | null;

  @Column('varchar', { length: 20 })
  accountNumber!: string;

  @Column('varchar', { length: 50, nullable: true })
  analytic!: string | null;

  @Column('boolean', { default: false })
  autoApply!: boolean;

  @Column('smallint', { default: 100 })
  priority!: number;

  @Column('boolean', { default: true })
  active!: boolean;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz')
  updatedAt!: Date;
}

/**
 * A match (lettrage): bank lines tied to ledger lines of the bank's 512x account, with the score
 * and reasons that made it. Never edited: an undo marks it undone (who, when, why) and reverses
 * the entry it created, if any.
 */
@Entity({ name: 'reconciliation_matches' })
@Unique('uq_reconciliation_matches_org_id', ['organizationId', 'id'])
@Unique('uq_reconciliation_matches_letter', ['organizationId', 'letter'])
@Index('ix_reconciliation_matches_account', ['organizationId', 'bankAccountId', 'createdAt'])
@Check('ck_reconciliation_matches_status', `"status" IN ('active', 'undone')`)
export class ReconciliationMatchEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_matches' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  bankAccountId!: string;

  @ManyToOne(() => BankAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_reconciliation_matches_account',
    },
    { name: 'bank_account_id', referencedColumnName: 'id' },
  ])
  bankAccount?: BankAccountEntity;

  /** The lettering code, shown in the ledger and the FEC (EcritureLet). */
  @Column('varchar', { length: 10 })
  letter!: string;

  @Column('varchar', { length: 20 })
  kind!: MatchKind;

  @Column('varchar', { length: 10 })
  origin!: MatchOrigin;

  @Column('smallint', { nullable: true })
  score!: number | null;

  @Column('jsonb')
  reasons!: string[];

  @Column('bigint')
  amountCents!: string;

  /** The entry written for a bank line that had no ledger counterpart (fees, a rule...). */
  @Column('uuid', { nullable: true })
  createdEntryId!: string | null;

  @Column('uuid', { nullable: true })
  ruleId!: string | null;

  @Column('varchar', { length: 10, default: 'active' })
  status!: MatchStatus;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('uuid', { nullable: true })
  undoneBy!: string | null;

  @Column('timestamptz', { nullable: true })
  undoneAt!: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  undoReason!: string | null;

  @Column('uuid', { nullable: true })
  reversalEntryId!: string | null;
}

/**
 * What a match ties: bank lines on one side, ledger lines on the other. While the match is active
 * a bank line and a ledger line belong to one match at most (partial unique indexes).
 */
@Entity({ name: 'reconciliation_match_items' })
@Index('ix_reconciliation_match_items_match', ['organizationId', 'matchId'])
@Index('uq_reconciliation_items_bank_line', ['organizationId', 'bankLineId'], {
  unique: true,
  where: '"active" AND "bank_line_id" IS NOT NULL',
})
@Index('uq_reconciliation_items_ledger_line', ['organizationId', 'entryId', 'lineNo'], {
  unique: true,
  where: '"active" AND "entry_id" IS NOT NULL',
})
@Check(
  'ck_reconciliation_match_items_side',
  '("bank_line_id" IS NOT NULL AND "entry_id" IS NULL AND "line_no" IS NULL) OR ("bank_line_id" IS NULL AND "entry_id" IS NOT NULL AND "line_no" IS NOT NULL)',
)
export class ReconciliationMatchItemEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_match_items' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  matchId!: string;

  @ManyToOne(() => ReconciliationMatchEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_reconciliation_match_items_match',
    },
    { name: 'match_id', referencedColumnName: 'id' },
  ])
  match?: ReconciliationMatchEntity;

  @Column('uuid', { nullable: true })
  bankLineId!: string | null;

  @ManyToOne(() => BankStatementLineEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_reconciliation_match_items_line',
    },
    { name: 'bank_line_id', referencedColumnName: 'id' },
  ])
  bankLine?: BankStatementLineEntity;

  @Column('uuid', { nullable: true })
  entryId!: string | null;

  @Column('smallint', { nullable: true })
  lineNo!: number | null;

  @ManyToOne(() => JournalEntryLineEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'entry_id',
      referencedColumnName: 'entryId',
      foreignKeyConstraintName: 'fk_reconciliation_match_items_entry_line',
    },
    { name: 'line_no', referencedColumnName: 'lineNo' },
  ])
  ledgerLine?: JournalEntryLineEntity;

  /** Signed as the bank sees it (money in positive). */
  @Column('bigint')
  amountCents!: string;

  @Column('boolean', { default: true })
  active!: boolean;
}

/** One automatic matching pass over an account's waiting lines (after an import, or on demand). */
@Entity({ name: 'reconciliation_runs' })
@Unique('uq_reconciliation_runs_org_id', ['organizationId', 'id'])
@Index('ix_reconciliation_runs_account', ['organizationId', 'bankAccountId', 'createdAt'])
@Check('ck_reconciliation_runs_status', `"status" IN ('queued', 'running', 'done', 'failed')`)
export class ReconciliationRunEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_runs' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  bankAccountId!: string;

  @ManyToOne(() => BankAccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_reconciliation_runs_account',
    },
    { name: 'bank_account_id', referencedColumnName: 'id' },
  ])
  bankAccount?: BankAccountEntity;

  @Column('varchar', { length: 10 })
  status!: ReconciliationRunStatus;

  @Column('int', { default: 0 })
  total!: number;

  @Column('int', { default: 0 })
  processed!: number;

  @Column('int', { default: 0 })
  autoMatched!: number;

  @Column('int', { default: 0 })
  suggested!: number;

  @Column('varchar', { length: 500, nullable: true })
  error!: string | null;

  @Column('uuid', { nullable: true })
  requestedBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  finishedAt!: Date | null;
}

/**
 * A proposal the treasurer rejected for a bank line (one ledger line, a sum of them, or an
 * announced transfer), never proposed again for that line. A preference, not a record:
 * withdrawing it deletes the row (both are audited).
 */
@Entity({ name: 'reconciliation_rejections' })
@Unique('uq_reconciliation_rejections_candidate', ['organizationId', 'bankLineId', 'candidateKey'])
@Check('ck_reconciliation_rejections_kind', `"kind" IN ('ledger', 'expected')`)
export class ReconciliationRejectionEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_reconciliation_rejections' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('uuid')
  bankLineId!: string;

  @ManyToOne(() => BankStatementLineEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'organization_id',
      referencedColumnName: 'organizationId',
      foreignKeyConstraintName: 'fk_reconciliation_rejections_line',
    },
    { name: 'bank_line_id', referencedColumnName: 'id' },
  ])
  bankLine?: BankStatementLineEntity;

  @Column('varchar', { length: 10 })
  kind!: 'ledger' | 'expected';

  /** The candidates' ids (`entryId:lineNo`, or the payment id), sorted, joined by commas. */
  @Column('varchar', { length: 1000 })
  candidateKey!: string;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;
}

export const RECONCILIATION_ENTITIES = [
  ReconciliationSettingsEntity,
  ReconciliationRuleEntity,
  ReconciliationMatchEntity,
  ReconciliationMatchItemEntity,
  ReconciliationRunEntity,
  ReconciliationRejectionEntity,
];
