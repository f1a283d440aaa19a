import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { OrgContext } from '@ruche/core';
import type { MembershipSettingsInput, MembershipSettingsView } from '@ruche/contracts';
import { AuditService, Clock } from '@ruche/platform';
import { MembershipSettingsEntity } from '../entities/membership-settings.entity';

export const DEFAULT_MEMBERSHIP_SETTINGS: MembershipSettingsView = {
  expiringSoonDays: 30,
  graceDays: 30,
  reminderOffsets: [-30, -7, 7],
  remindersEnabled: true,
  retentionYears: 3,
};

@Injectable()
export class MembershipSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async get(ctx: OrgContext, tx?: EntityManager): Promise<MembershipSettingsView> {
    const row = await (tx ?? this.dataSource.manager)
      .getRepository(MembershipSettingsEntity)
      .findOne({ where: { organizationId: ctx.organizationId } });
    if (!row) return { ...DEFAULT_MEMBERSHIP_SETTINGS };
    return {
      expiringSoonDays: row.expiringSoonDays,
      graceDays: row.graceDays,
      reminderOffsets: [...row.reminderOffsets].sort((a, b) => a - b),
      remindersEnabled: row.remindersEnabled,
      retentionYears: row.retentionYears,
    };
  }

  /** Saves the settings; statuses are recomputed by the next sweep (they depend on the day counts). */
  async update(ctx: OrgContext, input: MembershipSettingsInput): Promise<MembershipSettingsView> {
    await this.dataSource.transaction(async (m) => {
      const before = await this.get(ctx, m);
      await m
        .getRepository(MembershipSettingsEntity)
        .upsert({ organizationId: ctx.organizationId, ...input, updatedAt: this.clock.now() }, [
          'organizationId',
        ]);
      // Every running membership is due for a fresh status under the new day counts.
      await m.query(
        `UPDATE memberships SET next_status_change_on = DATE '1970-01-01' WHERE organization_id = $1 AND status <> 'cancelled'`,
        [ctx.organizationId],
      );
      await this.audit.record(
        ctx,
        {
          action: 'membership_settings.updated',
          entityType: 'organization',
          entityId: ctx.organizationId,
          before,
          after: input,
        },
        m,
      );
    });
    return this.get(ctx);
  }
}
