import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { Role } from '@ruche/core';
import { OrganizationEntity } from './organization.entity';

export type InvitationStatus = 'pending' | 'accepted' | 'revoked';

@Entity({ name: 'invitations' })
@Unique('uq_invitations_token_hash', ['tokenHash'])
@Index('ix_invitations_org', ['organizationId', 'createdAt'])
export class InvitationEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_invitations' })
  id!: string;

  @Column('uuid')
  organizationId!: string;

  @Column('varchar', { length: 254 })
  email!: string;

  @Column('varchar', { length: 20 })
  role!: Role;

  @Column('char', { length: 64 })
  tokenHash!: string;

  @Column('uuid', { nullable: true })
  invitedByUserId!: string | null;

  @Column('varchar', { length: 20, default: 'pending' })
  status!: InvitationStatus;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  acceptedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_invitations_organization' })
  organization?: OrganizationEntity;
}
