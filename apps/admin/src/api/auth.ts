import type {
  AcceptInvitationInput,
  InvitationPreview,
  LoginInput,
  MeView,
  RequestPasswordResetInput,
  ResetPasswordInput,
  SignupInput,
} from '@ruche/contracts';
import { request } from './client';

export type AcceptedInvitation = MeView & { joinedOrganizationId: string };

export const authApi = {
  me: (signal?: AbortSignal) => request<MeView>('GET', '/auth/me', { signal }),
  login: (input: LoginInput) => request<MeView>('POST', '/auth/login', { body: input }),
  signup: (input: SignupInput) => request<MeView>('POST', '/auth/signup', { body: input }),
  logout: () => request<void>('POST', '/auth/logout'),
  requestPasswordReset: (input: RequestPasswordResetInput) =>
    request<void>('POST', '/auth/password-reset/request', { body: input }),
  resetPassword: (input: ResetPasswordInput) =>
    request<void>('POST', '/auth/password-reset/confirm', { body: input }),
  previewInvitation: (token: string, signal?: AbortSignal) =>
    request<InvitationPreview>('GET', '/auth/invitations/preview', { query: { token }, signal }),
  acceptInvitation: (input: AcceptInvitationInput) =>
    request<AcceptedInvitation>('POST', '/auth/invitations/accept', { body: input }),
};
