import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '@ruche/core';
import { AuditLogEntity } from './audit-log.entity';
import { Clock } from '../clock/clock';

/** Who acts: an OrgContext fits; security events before any organization have a null one. */
export interface AuditActor {
  organizationId: string | null;
  userId: string | null;
  ip?: string;
  requestId?: string;
}

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class AuditService {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  /** Writes the audit row inside the caller's transaction: no change without its trace. */
  async record(ctx: AuditActor | null, record: AuditRecord, tx: EntityManager): Promise<void> {
    await tx.insert(AuditLogEntity, {
      id: newId(),
      organizationId: ctx?.organizationId ?? null,
      actorUserId: ctx?.userId ?? null,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId ?? null,
      before: (record.before ?? null) as never,
      after: (record.after ?? null) as never,
      ip: ctx?.ip ?? null,
      requestId: ctx?.requestId ?? null,
      createdAt: this.clock.now(),
    });
  }
}
