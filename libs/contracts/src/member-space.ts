import { z } from 'zod';
import { blankAsNull, emailSchema, optionalText } from './common';
import { phoneSchema, postalCodeProblem, type ContactConsentsView, type ContactMembershipSummary, type ConsentKind } from './contacts';
import type { ContactMembershipView } from './memberships';

/** A member asks for a login link by e-mail (the answer never tells whether the address is known). */
export const memberLoginLinkInputSchema = z.object({ email: emailSchema }).strict();
export type MemberLoginLinkInput = z.infer<typeof memberLoginLinkInputSchema>;

/** The token of the link, exchanged once for a member session (cookie). */
export const memberSessionInputSchema = z.object({ token: z.string().min(20).max(200) }).strict();
export type MemberSessionInput = z.infer<typeof memberSessionInputSchema>;

/** What a member may change themselves; the other fields stay with the association. */
export const memberDetailsInputSchema = z
  .object({
    email: emailSchema,
    phone: blankAsNull(phoneSchema),
    mobilePhone: blankAsNull(phoneSchema),
    addressLine1: optionalText(200),
    addressLine2: optionalText(200),
    postalCode: optionalText(10),
    city: optionalText(100),
    country: z.string().trim().length(2, { message: 'An ISO country code such as FR' }).toUpperCase().default('FR'),
    locale: z.enum(['fr', 'en']).default('fr'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.postalCode) {
      const problem = postalCodeProblem(v.country, v.postalCode);
      if (problem) ctx.addIssue({ code: 'custom', path: ['postalCode'], message: problem });
    }
  });
export type MemberDetailsInput = z.infer<typeof memberDetailsInputSchema>;

export const memberConsentInputSchema = z.object({ kind: z.enum(['newsletter', 'image_rights']), granted: z.boolean() }).strict();
export type MemberConsentInput = { kind: ConsentKind; granted: boolean };

export interface MemberSpaceView {
  organization: { id: string; name: string; email: string | null };
  contact: {
    reference: string;
    displayName: string;
    email: string | null;
    phone: string | null;
    mobilePhone: string | null;
    addressLine1: string | null;
    addressLine2: string | null;
    postalCode: string | null;
    city: string | null;
    country: string;
    locale: 'fr' | 'en';
  };
  standing: ContactMembershipSummary | null;
  memberships: ContactMembershipView[];
  consents: ContactConsentsView;
  /** The membership a renewal would follow (null: nothing to renew, or already renewed). */
  renewableMembershipId: string | null;
  /** Automatic renewal (a Stripe subscription), when the member chose it. */
  autoRenewal: { status: string; interval: 'year' | 'month'; currentPeriodEnd: string | null; amountCents: number; currency: string } | null;
  /** Whether memberships waiting for payment can be paid here (the association connected Stripe). */
  onlinePayment: { enabled: boolean; mode: 'test' | 'live' | null; methods: ('card' | 'sepa_debit')[] };
  /** Sent back in x-csrf-token on every change. */
  csrfToken: string;
}

/** The member pays a membership waiting for payment (after a renewal, or a failed debit). */
export const memberPayInputSchema = z
  .object({ membershipId: z.uuid(), method: z.enum(['card', 'sepa_debit']).default('card') })
  .strict();
export type MemberPayInput = z.infer<typeof memberPayInputSchema>;
