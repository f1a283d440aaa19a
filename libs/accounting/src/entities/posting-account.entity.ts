import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { PostingRole } from '@ruche/contracts';
import { AccountEntity } from './account.entity';

/** Which account a posting role uses in this organization (editable by the treasurer). */
@Entity({ name: 'posting_accounts' })
export class PostingAccountEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_posting_accounts' })
  organizationId!: string;

  @PrimaryColumn('varchar', { length: 40, primaryKeyConstraintName: 'pk_posting_accounts' })
  role!: PostingRole;

  @Column('uuid')
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_posting_accounts_account' },
    { name: 'account_id', referencedColumnName: 'id' },
  ])
  account?: AccountEntity;
}
