import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Role } from '@ruche/core';
import { OrganizationEntity } from './organization.entity';
import { UserEntity } from './user.entity';

/** A user's role in one organization. */
@Entity({ name: 'organization_members' })
@Index('ix_organization_members_user', ['userId'])
export class OrganizationMemberEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_organization_members' })
  organizationId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_organization_members' })
  userId!: string;

  @Column('varchar', { length: 20 })
  role!: Role;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_organization_members_organization' })
  organization?: OrganizationEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_organization_members_user' })
  user?: UserEntity;
}
