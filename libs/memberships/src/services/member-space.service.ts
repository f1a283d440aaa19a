import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { DomainError, isUuid, newId, systemContext, type OrgContext } from '@ruche/core';
import {
  type JoinResultView,
  type MemberPayInput,
  contactReference,
  type MemberConsentInput,
  type MemberDetailsInput,
  type MemberSpaceView,
} from '@ruche/contracts';
import {
  APP_CONFIG,
  AuditService,
  Clock,
  OutboundEmailsService,
  hashToken,
  newSecretToken,
  type AppConfig,
} from '@ruche/platform';
import { OrganizationEntity } from '@ruche/organizations';
import { ContactEntity, ContactsService, PrivacyService, displayName } from '@ruche/contacts';
import { MemberLoginLinkEntity, MemberSessionEntity } from '../entities/member-space.entities';
import { MembershipEntity } from '../entities/membership.entity';
import { memberLinkEmail } from '../emails/member-link.email';
import { DirectoryService } from './directory.service';
import { MembershipsService } from './memberships.service';
import { JoinService } from './join.service';
import { StripeAccountsService, SubscriptionsService } from '@ruche/payments';

const LINK_TTL_MS = 15 * 60_000;
const SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** At most this many links per contact per hour (a mailbox is not a spam target). */
const LINKS_PER_HOUR = 5;

export interface MemberSession {
  session: MemberSessionEntity;
  ctx: OrgContext;
}

/**
 * The member space: a member logs in with a link sent by e-mail (no password), sees their
 * standing and memberships, updates their details and consents, and asks for a renewal.
 * Everything runs in the member's organization, as the member's contact and nothing else.
 */
@Injectable()
export class MemberSpaceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contacts: ContactsService,
    private readonly privacy: PrivacyService,
    private readonly memberships: MembershipsService,
    private readonly directory: DirectoryService,
    private readonly emails: OutboundEmailsService,
    private readonly audit: AuditService,
    private readonly join: JoinService,
    private readonly stripe: StripeAccountsService,
    private readonly subscriptions: SubscriptionsService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends a login link when the address belongs to a contact of the organization; says nothing either way. */
  async requestLink(organizationId: string, email: string): Promise<void> {
    const ctx = systemContext(organizationId);
    const contact = await this.dataSource.getRepository(ContactEntity).findOne({
      where: { organizationId, email, mergedIntoId: IsNull(), erasedAt: IsNull() },
      order: { number: 'ASC' },
    });
    if (!contact) return;
    const recent = await this.dataSource.getRepository(MemberLoginLinkEntity).count({
      where: {
        organizationId,
        contactId: contact.id,
        createdAt: MoreThan(new Date(this.clock.now().getTime() - 3_600_000)),
      },
    });
    if (recent >= LINKS_PER_HOUR) return;
    const token = newSecretToken();
    const emailId = await this.dataSource.transaction(async (m) => {
      const org = await m
        .getRepository(OrganizationEntity)
        .findOneOrFail({ where: { id: organizationId } });
      const id = newId();
      await m.getRepository(MemberLoginLinkEntity).insert({
        id,
        organizationId,
        contactId: contact.id,
        tokenHash: hashToken(token),
        expiresAt: new Date(this.clock.now().getTime() + LINK_TTL_MS),
        usedAt: null,
        createdAt: this.clock.now(),
      });
      const url = `${this.config.publicUrl}/espace-membre/${organizationId}/connexion?token=${encodeURIComponent(token)}`;
      const rendered = memberLinkEmail(contact.locale, {
        organizationName: org.name,
        contactName: displayName(contact),
        url,
      });
      return this.emails.queueEmail(
        ctx,
        {
          to: contact.email as string,
          ...rendered,
          template: 'member-space.link',
          idempotencyKey: `member-link:${id}`,
        },
        m,
      );
    });
    await this.emails.dispatch(organizationId, emailId);
  }

  /** Exchanges a link's token (once, within 15 minutes) for a session; answers the session token. */
  async startSession(
    organizationId: string,
    token: string,
  ): Promise<{ token: string; view: MemberSpaceView }> {
    const sessionToken = newSecretToken();
    const session = await this.dataSource.transaction(async (m) => {
      const link = await m.getRepository(MemberLoginLinkEntity).findOne({
        where: { tokenHash: hashToken(token), organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!link || link.usedAt || link.expiresAt <= this.clock.now()) {
        throw DomainError.unauthorized(
          'member_space.link_invalid',
          'This link is unknown, used or expired: ask for a new one',
        );
      }
      await m
        .getRepository(MemberLoginLinkEntity)
        .update({ id: link.id }, { usedAt: this.clock.now() });
      const row: MemberSessionEntity = {
        id: newId(),
        organizationId,
        contactId: link.contactId,
        tokenHash: hashToken(sessionToken),
        csrfToken: newSecretToken(),
        expiresAt: new Date(this.clock.now().getTime() + SESSION_TTL_MS),
        revokedAt: null,
        createdAt: this.clock.now(),
      };
      await m.getRepository(MemberSessionEntity).insert(row);
      await this.audit.record(
        { organizationId, userId: null },
        { action: 'member-space.login', entityType: 'contact', entityId: link.contactId },
        m,
      );
      return row;
    });
    return {
      token: sessionToken,
      view: await this.view({ session, ctx: systemContext(organizationId) }),
    };
  }

  /** The member session of a cookie, or null (unknown, revoked, expired, or the contact is gone). */
  async resolve(token: string | undefined): Promise<MemberSession | null> {
    if (!token) return null;
    const session = await this.dataSource
      .getRepository(MemberSessionEntity)
      .findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() } });
    if (!session || session.expiresAt <= this.clock.now()) return null;
    const contact = await this.dataSource
      .getRepository(ContactEntity)
      .findOne({ where: { organizationId: session.organizationId, id: session.contactId } });
    if (!contact || contact.erasedAt || contact.mergedIntoId) return null;
    return { session, ctx: systemContext(session.organizationId) };
  }

  async logout(member: MemberSession): Promise<void> {
    await this.dataSource
      .getRepository(MemberSessionEntity)
      .update({ id: member.session.id }, { revokedAt: this.clock.now() });
  }

  async view(member: MemberSession): Promise<MemberSpaceView> {
    const { ctx, session } = member;
    const org = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneOrFail({ where: { id: ctx.organizationId } });
    const { contact: c } = await this.contacts.get(ctx, session.contactId);
    const history = await this.memberships.list(ctx, { contactId: c.id, limit: 50, offset: 0 });
    return {
      organization: { id: org.id, name: org.name, email: org.email },
      contact: {
        reference: contactReference(c.number),
        displayName: displayName(c),
        email: c.email,
        phone: c.phone,
        mobilePhone: c.mobilePhone,
        addressLine1: c.addressLine1,
        addressLine2: c.addressLine2,
        postalCode: c.postalCode,
        city: c.city,
        country: c.country.trim(),
        locale: c.locale,
      },
      standing: await this.directory.summaryOf(ctx, c.id),
      memberships: history.items,
      consents: await this.privacy.consents(ctx, c.id),
      renewableMembershipId: await this.renewable(ctx, c.id),
      onlinePayment: await this.onlinePayment(ctx),
      autoRenewal: await this.autoRenewal(ctx, c.id),
      csrfToken: session.csrfToken,
    };
  }

  /** The member changes their own contact details; the rest of the record stays as the association keeps it. */
  async updateDetails(member: MemberSession, input: MemberDetailsInput): Promise<MemberSpaceView> {
    const ctx = this.memberCtx(member);
    const { contact: c, tags } = await this.contacts.get(ctx, member.session.contactId);
    await this.contacts.update(ctx, c.id, {
      kind: c.kind,
      civility: c.civility,
      firstName: c.firstName,
      lastName: c.lastName,
      organizationName: c.organizationName,
      siren: c.siren,
      birthDate: c.birthDate,
      notes: c.notes,
      customFields: c.customFields,
      tagIds: tags.map((t) => t.id),
      householdId: c.householdId,
      ...input,
    });
    return this.view(member);
  }

  async recordConsent(member: MemberSession, input: MemberConsentInput): Promise<MemberSpaceView> {
    await this.privacy.recordConsent(this.memberCtx(member), member.session.contactId, {
      ...input,
      source: 'member_space',
    });
    return this.view(member);
  }

  /** A renewal asked by the member: the next period, waiting for payment. */
  async renew(member: MemberSession): Promise<MemberSpaceView> {
    const ctx = this.memberCtx(member);
    const id = await this.renewable(ctx, member.session.contactId);
    if (!id)
      throw DomainError.conflict(
        'member_space.nothing_to_renew',
        'There is no membership to renew',
      );
    await this.memberships.renew(ctx, id, {}, 'member');
    return this.view(member);
  }

  /** A membership of the member (or their household) waiting for payment, paid at Stripe Checkout. */
  async pay(member: MemberSession, input: MemberPayInput): Promise<JoinResultView> {
    return this.join.payExisting(
      this.memberCtx(member),
      member.session.contactId,
      input.membershipId,
      input.method,
    );
  }

  /**
   * The attestation of one of the member's own paid memberships (the holder's: a household
   * membership is attested in the name of the member who holds it). Another's is a 404.
   */
  async attestation(
    member: MemberSession,
    membershipId: string,
  ): Promise<{ filename: string; pdf: Buffer }> {
    const { ctx, session } = member;
    const own = isUuid(membershipId)
      ? await this.dataSource.getRepository(MembershipEntity).findOne({
          where: {
            organizationId: ctx.organizationId,
            id: membershipId,
            contactId: session.contactId,
          },
        })
      : null;
    if (!own) throw DomainError.notFound('memberships.not_found', 'No such membership');
    return this.memberships.attestation(ctx, own.id);
  }

  /** Stripe's customer portal, where the member updates the card or bank account of the renewal. */
  async billingPortal(member: MemberSession): Promise<{ url: string }> {
    return {
      url: await this.subscriptions.portalUrl(
        this.memberCtx(member),
        member.session.contactId,
        '/espace-membre/compte',
      ),
    };
  }

  private async autoRenewal(
    ctx: OrgContext,
    contactId: string,
  ): Promise<MemberSpaceView['autoRenewal']> {
    const sub = await this.subscriptions.activeFor(ctx, contactId);
    return sub
      ? {
          status: sub.status,
          interval: sub.interval,
          currentPeriodEnd: sub.currentPeriodEnd,
          amountCents: Number(sub.amountCents),
          currency: sub.currency,
        }
      : null;
  }

  private async onlinePayment(ctx: OrgContext): Promise<MemberSpaceView['onlinePayment']> {
    const mode = await this.stripe.mode(ctx.organizationId);
    return { enabled: mode !== null, mode, methods: mode ? ['card', 'sepa_debit'] : [] };
  }

  /** The latest paid membership not renewed yet, and not lifetime. */
  private async renewable(ctx: OrgContext, contactId: string): Promise<string | null> {
    const rows = await this.dataSource.getRepository(MembershipEntity).find({
      where: { organizationId: ctx.organizationId, contactId, cancelledAt: IsNull() },
      order: { startDate: 'DESC' },
      take: 1,
    });
    const latest = rows[0];
    if (!latest || !latest.paidOn || latest.endDate === null) return null;
    return latest.id;
  }

  /** The audit trail names the member (as the contact) rather than a staff user. */
  private memberCtx(member: MemberSession): OrgContext {
    return {
      organizationId: member.session.organizationId,
      userId: null,
      role: 'system',
      requestId: `member-space:${member.session.contactId}`,
    };
  }
}
