import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';

/** A person who logs in. Global: one user may belong to several organizations. */
@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
export class UserEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id!: string;

  /** Always stored lower-cased. */
  @Column('varchar', { length: 254 })
  email!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { length: 200 })
  passwordHash!: string;

  @Column('varchar', { length: 5, default: 'fr' })
  locale!: 'fr' | 'en';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
