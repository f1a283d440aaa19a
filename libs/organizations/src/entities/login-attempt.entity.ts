import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Every login try, by e-mail (known or not): the lockout counts failures here. */
@Entity({ name: 'login_attempts' })
@Index('ix_login_attempts_email_created', ['email', 'createdAt'])
export class LoginAttemptEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_login_attempts' })
  id!: string;

  @Column('varchar', { length: 254 })
  email!: string;

  @Column('varchar', { length: 100, nullable: true })
  ip!: string | null;

  @Column('boolean')
  succeeded!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
