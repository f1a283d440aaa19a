import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { MembershipEntity } from './membership.entity';

/** One reminder per membership per offset: the primary key makes a second send impossible. */
@Entity({ name: 'membership_reminders' })
export class MembershipReminderEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_membership_reminders' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_membership_reminders' })
  membershipId!: string;

  @PrimaryColumn('integer', { primaryKeyConstraintName: 'pk_membership_reminders' })
  offsetDays!: number;

  @Column('uuid', { nullable: true })
  emailId!: string | null;

  @Column('timestamptz')
  createdAt!: Date;

  @ManyToOne(() => MembershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'fk_membership_reminders_membership' },
    { name: 'membership_id', referencedColumnName: 'id' },
  ])
  membership?: MembershipEntity;
}
