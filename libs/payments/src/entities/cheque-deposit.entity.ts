import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A deposit slip (bordereau de remise de chèques): cheques taken to the bank together, posted as
 * one entry (debit bank, credit cheques to deposit per cheque) so that the bank line matches it.
 */
@Entity({ name: 'cheque_deposits' })
@Unique('uq_cheque_deposits_org_id', ['organizationId', 'id'])
@Index('uq_cheque_deposits_number', ['organizationId', 'year', 'number'], { unique: true })
@Check('ck_cheque_deposits_total', '"total_cents" > 0 AND "cheque_count" > 0')
export class ChequeDepositEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_cheque_deposits' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('int')
  year!: number;

  /** Sequential per organization and year, without gaps (allocated in the creating transaction). */
  @Column('int')
  number!: number;

  @Column('date')
  depositedOn!: string;

  @Column('bigint')
  totalCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('int')
  chequeCount!: number;

  @Column('uuid')
  entryId!: string;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz')
  createdAt!: Date;
}
