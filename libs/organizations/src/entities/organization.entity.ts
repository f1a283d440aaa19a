import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrganismType } from '@ruche/contracts';

/** A tenant: one association, with its legal identity and settings. */
@Entity({ name: 'organizations' })
@Check('ck_organizations_fiscal_month', '"fiscal_year_start_month" BETWEEN 1 AND 12')
export class OrganizationEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_organizations' })
  id!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  @Column('varchar', { length: 200, nullable: true })
  legalName!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  addressLine1!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  addressLine2!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  postalCode!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  city!: string | null;

  @Column('char', { length: 2, default: 'FR' })
  country!: string;

  @Column('char', { length: 9, nullable: true })
  siren!: string | null;

  @Column('char', { length: 10, nullable: true })
  rna!: string | null;

  @Column('text', { nullable: true })
  object!: string | null;

  @Column('varchar', { length: 50, nullable: true })
  organismType!: OrganismType | null;

  @Column('varchar', { length: 200, nullable: true })
  organismTypeOther!: string | null;

  @Column('varchar', { length: 254, nullable: true })
  email!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  website!: string | null;

  @Column('varchar', { length: 64, default: 'Europe/Paris' })
  timeZone!: string;

  @Column('char', { length: 3, default: 'EUR' })
  currency!: string;

  @Column('smallint', { default: 1 })
  fiscalYearStartMonth!: number;

  @Column('varchar', { length: 5, default: 'fr' })
  locale!: 'fr' | 'en';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
