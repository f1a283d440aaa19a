import { Inject, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { formatMoney, type OrgContext } from '@ruche/core';
import { APP_CONFIG, OutboundEmailsService, type AppConfig } from '@ruche/platform';
import { OrganizationEntity, OrganizationMemberEntity } from '@ruche/organizations';
import { ContactEntity, displayName } from '@ruche/contacts';
import type { PaymentEntity } from '../entities/payment.entity';
import { renderTreasurerAlert, type TreasurerAlert } from '../emails/treasurer-alert.email';
import { paymentFailedEmail } from '../emails/payment-failed.email';
import { transferInstructionsEmail } from '../emails/transfer-instructions.email';
import type { AfterCommit } from './payment-purposes';

/** The e-mails money problems send: to the payer, and to the organization's treasurers. */
@Injectable()
export class PaymentNoticesService {
  constructor(
    private readonly emails: OutboundEmailsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Owners, admins and treasurers, once per key each. */
  async alertTreasurers(
    ctx: OrgContext,
    m: EntityManager,
    alert: TreasurerAlert,
    key: string,
  ): Promise<AfterCommit[]> {
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const members = await m.getRepository(OrganizationMemberEntity).find({
      where: { organizationId: ctx.organizationId, role: In(['owner', 'admin', 'treasurer']) },
      relations: { user: true },
    });
    const ids: string[] = [];
    for (const member of members) {
      if (!member.user?.email) continue;
      const rendered = renderTreasurerAlert(member.user.locale, org.name, alert);
      ids.push(
        await this.emails.queueEmail(
          ctx,
          {
            to: member.user.email,
            ...rendered,
            template: `payments.${alert.kind}`,
            idempotencyKey: `${key}:${member.user.email}`,
          },
          m,
        ),
      );
    }
    return ids.map((id) => () => this.emails.dispatch(ctx.organizationId, id));
  }

  /** A debit (or a payment that was on its way) failed: the payer and the treasurers hear of it. */
  async paymentFailed(
    ctx: OrgContext,
    m: EntityManager,
    payment: PaymentEntity,
    reason: string | null,
  ): Promise<AfterCommit[]> {
    const after: AfterCommit[] = [];
    const contact = payment.contactId
      ? await m
          .getRepository(ContactEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: payment.contactId } })
      : null;
    if (contact?.email && !contact.erasedAt) {
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: ctx.organizationId } });
      const amount = formatMoney(payment.amountCents, payment.currency, payment.locale);
      const rendered = paymentFailedEmail(payment.locale, {
        contactName: displayName(contact),
        organizationName: org.name,
        label: payment.label,
        amount,
        reason,
        retryUrl: `${this.config.publicUrl}/espace-membre/${ctx.organizationId}`,
      });
      const id = await this.emails.queueEmail(
        ctx,
        {
          to: contact.email,
          ...rendered,
          template: 'payments.failed',
          idempotencyKey: `payment-failed:${payment.id}`,
        },
        m,
      );
      after.push(() => this.emails.dispatch(ctx.organizationId, id));
    }
    after.push(
      ...(await this.alertTreasurers(
        ctx,
        m,
        {
          kind: 'payment_failed',
          label: payment.label,
          amountCents: Number(payment.amountCents),
          currency: payment.currency,
          status: reason ?? 'failed',
          reference: payment.paymentIntentId ?? payment.id,
        },
        `payment-failed-alert:${payment.id}`,
      )),
    );
    return after;
  }

  /** The payer chose to pay by transfer: where, how much, and the reference to type. */
  async transferInstructions(
    ctx: OrgContext,
    m: EntityManager,
    payment: PaymentEntity,
    account: { holder: string; iban: string; bic: string | null },
  ): Promise<AfterCommit[]> {
    const contact = payment.contactId
      ? await m
          .getRepository(ContactEntity)
          .findOne({ where: { organizationId: ctx.organizationId, id: payment.contactId } })
      : null;
    if (!contact?.email || contact.erasedAt || !payment.reference) return [];
    const org = await m
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const amount = formatMoney(payment.amountCents, payment.currency, payment.locale);
    const rendered = transferInstructionsEmail(payment.locale, {
      contactName: displayName(contact),
      organizationName: org.name,
      label: payment.label,
      amount,
      holder: account.holder,
      iban: account.iban,
      bic: account.bic,
      reference: payment.reference,
    });
    const id = await this.emails.queueEmail(
      ctx,
      {
        to: contact.email,
        ...rendered,
        template: 'payments.transfer-instructions',
        idempotencyKey: `transfer-instructions:${payment.id}`,
      },
      m,
    );
    return [() => this.emails.dispatch(ctx.organizationId, id)];
  }
}
