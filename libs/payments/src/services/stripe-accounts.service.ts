import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, type OrgContext } from '@ruche/core';
import type {
  StripeConnectionCheckView,
  StripeMode,
  StripeSettingsInput,
  StripeSettingsView,
} from '@ruche/contracts';
import { APP_CONFIG, AuditService, Clock, SecretBox, type AppConfig } from '@ruche/platform';
import { StripeAccountEntity } from '../entities/stripe.entities';
import { STRIPE_WEBHOOK_EVENTS, keyHint } from '../domain/payment-status';
import { StripeGateway, type StripeKeys } from '../stripe/stripe-gateway';

/** The organization's Stripe connection: keys sealed at rest, checked against Stripe on demand. */
const KEY_CACHE_MS = 10_000;

@Injectable()
export class StripeAccountsService {
  private readonly secrets = new Map<string, { secret: string | null; until: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly gateway: StripeGateway,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async view(ctx: OrgContext): Promise<StripeSettingsView> {
    const row = await this.row(ctx.organizationId);
    const joinUrl = `${this.config.publicUrl}/adhesion/${ctx.organizationId}`;
    return {
      connected: row !== null,
      mode: row?.mode ?? null,
      secretKeyHint: row?.secretKeyHint ?? null,
      webhookSecretSet: row !== null,
      publishableKey: row?.publishableKey ?? null,
      accountId: row?.accountId ?? null,
      accountName: row?.accountName ?? null,
      lastCheckedAt: row?.lastCheckedAt?.toISOString() ?? null,
      lastCheckOk: row?.lastCheckOk ?? null,
      lastCheckError: row?.lastCheckError ?? null,
      webhookUrl: `${this.config.publicUrl}/api/v1/webhooks/stripe/${ctx.organizationId}`,
      webhookEvents: [...STRIPE_WEBHOOK_EVENTS],
      joinUrl,
      embedSnippet: `<iframe src="${joinUrl}?embed=1" title="Adhésion" style="width:100%;min-height:900px;border:0" loading="lazy"></iframe>`,
    };
  }

  /** Saves the keys (sealed), then checks them against Stripe; a refused key is not saved. */
  async save(ctx: OrgContext, input: StripeSettingsInput): Promise<StripeSettingsView> {
    this.secrets.delete(ctx.organizationId);
    const mode: StripeMode = input.secretKey.includes('_live_') ? 'live' : 'test';
    const check = await this.probe({ secretKey: input.secretKey, connectAccountId: null }, mode);
    if (!check.ok && check.error?.startsWith('rejected:')) {
      throw DomainError.invalid(
        'payments.stripe_key_rejected',
        'Stripe refused this secret key',
        'secretKey',
      );
    }
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const before = await m
        .getRepository(StripeAccountEntity)
        .findOne({ where: { organizationId: ctx.organizationId } });
      await m.getRepository(StripeAccountEntity).upsert(
        {
          organizationId: ctx.organizationId,
          mode,
          secretKeySealed: this.box.encrypt(input.secretKey),
          secretKeyHint: keyHint(input.secretKey),
          webhookSecretSealed: this.box.encrypt(input.webhookSecret),
          publishableKey: input.publishableKey ?? null,
          accountId: check.accountId,
          accountName: check.accountName,
          connectAccountId: null,
          lastCheckedAt: new Date(check.checkedAt),
          lastCheckOk: check.ok,
          lastCheckError: check.error,
          // The first catch-up of Stripe's event list comes one period after connecting.
          lastCatchUpAt: before?.lastCatchUpAt ?? now,
          createdAt: before?.createdAt ?? now,
          updatedAt: now,
        },
        ['organizationId'],
      );
      await this.audit.record(
        ctx,
        {
          action: before ? 'stripe.keys-replaced' : 'stripe.connected',
          entityType: 'stripe_account',
          entityId: ctx.organizationId,
          before: before
            ? {
                mode: before.mode,
                secretKeyHint: before.secretKeyHint,
                accountId: before.accountId,
              }
            : null,
          after: { mode, secretKeyHint: keyHint(input.secretKey), accountId: check.accountId },
        },
        m,
      );
    });
    return this.view(ctx);
  }

  /** "Test connection" from the settings: asks Stripe who the key belongs to. */
  async check(ctx: OrgContext): Promise<StripeConnectionCheckView> {
    const row = await this.row(ctx.organizationId);
    if (!row)
      throw DomainError.notFound('payments.stripe_not_connected', 'Stripe is not connected');
    const result = await this.probe(this.keysOf(row), row.mode);
    await this.dataSource.getRepository(StripeAccountEntity).update(
      { organizationId: ctx.organizationId },
      {
        lastCheckedAt: new Date(result.checkedAt),
        lastCheckOk: result.ok,
        lastCheckError: result.error,
        accountId: result.accountId ?? row.accountId,
        accountName: result.accountName ?? row.accountName,
        updatedAt: this.clock.now(),
      },
    );
    return result;
  }

  async disconnect(ctx: OrgContext): Promise<void> {
    this.secrets.delete(ctx.organizationId);
    await this.dataSource.transaction(async (m) => {
      const row = await m
        .getRepository(StripeAccountEntity)
        .findOne({ where: { organizationId: ctx.organizationId } });
      if (!row)
        throw DomainError.notFound('payments.stripe_not_connected', 'Stripe is not connected');
      await m.getRepository(StripeAccountEntity).delete({ organizationId: ctx.organizationId });
      await this.audit.record(
        ctx,
        {
          action: 'stripe.disconnected',
          entityType: 'stripe_account',
          entityId: ctx.organizationId,
          before: { mode: row.mode, secretKeyHint: row.secretKeyHint, accountId: row.accountId },
        },
        m,
      );
    });
  }

  /** The decrypted keys for a call to Stripe (never returned by the API). */
  async keys(
    organizationId: string,
    m?: EntityManager,
  ): Promise<(StripeKeys & { mode: StripeMode; webhookSecret: string }) | null> {
    const row = await this.row(organizationId, m);
    return row
      ? {
          ...this.keysOf(row),
          mode: row.mode,
          webhookSecret: this.box.decrypt(row.webhookSecretSealed),
        }
      : null;
  }

  /**
   * The webhook secret for the ingestion path, kept decrypted in this process for a few seconds
   * (every webhook would otherwise read and decrypt it). Another API process sees a new secret
   * after at most KEY_CACHE_MS; Stripe retries what failed meanwhile.
   */
  async webhookSecret(organizationId: string): Promise<string | null> {
    const cached = this.secrets.get(organizationId);
    const now = Date.now();
    if (cached && cached.until > now) return cached.secret;
    const keys = await this.keys(organizationId);
    if (this.secrets.size > 10_000) this.secrets.clear();
    this.secrets.set(organizationId, {
      secret: keys?.webhookSecret ?? null,
      until: now + KEY_CACHE_MS,
    });
    return keys?.webhookSecret ?? null;
  }

  async mode(organizationId: string): Promise<StripeMode | null> {
    return (await this.row(organizationId))?.mode ?? null;
  }

  private keysOf(row: StripeAccountEntity): StripeKeys {
    return {
      secretKey: this.box.decrypt(row.secretKeySealed),
      connectAccountId: row.connectAccountId,
    };
  }

  private async row(
    organizationId: string,
    m?: EntityManager,
  ): Promise<StripeAccountEntity | null> {
    return (m ?? this.dataSource.manager)
      .getRepository(StripeAccountEntity)
      .findOne({ where: { organizationId } });
  }

  private async probe(keys: StripeKeys, mode: StripeMode): Promise<StripeConnectionCheckView> {
    const checkedAt = this.clock.now().toISOString();
    try {
      const account = await this.gateway.account(keys);
      const name =
        account.settings?.dashboard?.display_name ?? account.business_profile?.name ?? null;
      return { ok: true, mode, accountId: account.id, accountName: name, error: null, checkedAt };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'payments.stripe_key_rejected') {
        return {
          ok: false,
          mode,
          accountId: null,
          accountName: null,
          error: `rejected: ${error.message}`,
          checkedAt,
        };
      }
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        mode,
        accountId: null,
        accountName: null,
        error: message.slice(0, 500),
        checkedAt,
      };
    }
  }
}
