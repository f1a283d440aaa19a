import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { UserEntity } from './user.entity';

@Entity({ name: 'password_resets' })
@Unique('uq_password_resets_token_hash', ['tokenHash'])
@Index('ix_password_resets_user', ['userId'])
export class PasswordResetEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_password_resets' })
  id!: string;

  @Column('uuid')
  userId!: string;

  @Column('char', { length: 64 })
  tokenHash!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_password_resets_user' })
  user?: UserEntity;
}
