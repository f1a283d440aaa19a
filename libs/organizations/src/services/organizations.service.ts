import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type OrgContext } from '@ruche/core';
import type { OrganizationView, UpdateOrganizationInput } from '@ruche/contracts';
import { AuditService, Clock, LiveEventsPort } from '@ruche/platform';
import { OrganizationEntity } from '../entities/organization.entity';

export function toOrganizationView(o: OrganizationEntity): OrganizationView {
  return {
    id: o.id,
    name: o.name,
    legalName: o.legalName,
    addressLine1: o.addressLine1,
    addressLine2: o.addressLine2,
    postalCode: o.postalCode,
    city: o.city,
    country: o.country,
    siren: o.siren,
    rna: o.rna,
    object: o.object,
    organismType: o.organismType,
    organismTypeOther: o.organismTypeOther,
    email: o.email,
    website: o.website,
    timeZone: o.timeZone,
    currency: o.currency,
    fiscalYearStartMonth: o.fiscalYearStartMonth,
    locale: o.locale,
    createdAt: o.createdAt.toISOString(),
  };
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly live: LiveEventsPort,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async get(ctx: OrgContext): Promise<OrganizationView> {
    const organization = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOne({ where: { id: ctx.organizationId } });
    if (!organization) throw DomainError.notFound('organizations.not_found');
    return toOrganizationView(organization);
  }

  async update(ctx: OrgContext, input: UpdateOrganizationInput): Promise<OrganizationView> {
    if (input.organismType === 'other' && !input.organismTypeOther) {
      throw DomainError.invalid('organizations.organism_type_other_required', 'Describe the organism type', 'organismTypeOther');
    }
    const updated = await this.dataSource.transaction(async (tx) => {
      const repo = tx.getRepository(OrganizationEntity);
      const before = await repo.findOne({ where: { id: ctx.organizationId }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw DomainError.notFound('organizations.not_found');
      const changes = {
        name: input.name,
        legalName: input.legalName ?? null,
        addressLine1: input.addressLine1 ?? null,
        addressLine2: input.addressLine2 ?? null,
        postalCode: input.postalCode ?? null,
        city: input.city ?? null,
        country: input.country,
        siren: input.siren ?? null,
        rna: input.rna ?? null,
        object: input.object ?? null,
        organismType: input.organismType ?? null,
        organismTypeOther: input.organismType === 'other' ? (input.organismTypeOther ?? null) : null,
        email: input.email ?? null,
        website: input.website ?? null,
        timeZone: input.timeZone,
        currency: input.currency,
        fiscalYearStartMonth: input.fiscalYearStartMonth,
        locale: input.locale,
        updatedAt: this.clock.now(),
      };
      await repo.update({ id: ctx.organizationId }, changes);
      const after = { ...before, ...changes };
      await this.audit.record(
        ctx,
        {
          action: 'organization.updated',
          entityType: 'organization',
          entityId: ctx.organizationId,
          before: toOrganizationView(before),
          after: toOrganizationView(after),
        },
        tx,
      );
      return after;
    });
    await this.live.publish({
      type: 'organization.updated',
      organizationId: ctx.organizationId,
      at: this.clock.now().toISOString(),
      data: { name: updated.name },
    });
    return toOrganizationView(updated);
  }
}
