import { z } from 'zod';
import { emailSchema, localeSchema, passwordSchema } from './common';
import { ROLES } from '@ruche/core';

export const signupInputSchema = z
  .object({
    organizationName: z.string().trim().min(2).max(200),
    name: z.string().trim().min(1).max(200),
    email: emailSchema,
    password: passwordSchema,
    locale: localeSchema.default('fr'),
  })
  .strict();
export type SignupInput = z.infer<typeof signupInputSchema>;

export const loginInputSchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1).max(200),
  })
  .strict();
export type LoginInput = z.infer<typeof loginInputSchema>;

export const requestPasswordResetInputSchema = z.object({ email: emailSchema }).strict();
export type RequestPasswordResetInput = z.infer<typeof requestPasswordResetInputSchema>;

export const resetPasswordInputSchema = z
  .object({ token: z.string().min(20).max(200), password: passwordSchema })
  .strict();
export type ResetPasswordInput = z.infer<typeof resetPasswordInputSchema>;

export const acceptInvitationInputSchema = z
  .object({
    token: z.string().min(20).max(200),
    name: z.string().trim().min(1).max(200).optional(),
    password: passwordSchema.optional(),
  })
  .strict();
export type AcceptInvitationInput = z.infer<typeof acceptInvitationInputSchema>;

export const roleSchema = z.enum(ROLES);

export interface MembershipView {
  organizationId: string;
  organizationName: string;
  role: z.infer<typeof roleSchema>;
}

export interface MeView {
  user: { id: string; email: string; name: string; locale: 'fr' | 'en' };
  organizations: MembershipView[];
  csrfToken: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: z.infer<typeof roleSchema>;
  userExists: boolean;
}
