import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Navigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { memberLoginLinkInputSchema, type MemberLoginLinkInput } from '@ruche/contracts';
import type { z } from 'zod';
import { memberSpaceApi, rememberMemberSpaceOrg } from '../../api/memberSpace';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';
import { AuthCard } from '../auth/AuthCard';

type LoginLinkForm = z.input<typeof memberLoginLinkInputSchema>;
const FIELDS = ['email'] as const;

/** `/espace-membre/:orgId`: asks for a login link by e-mail (or goes on to an open session). */
export function MemberLoginPage() {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const [session, setSession] = useState<'checking' | 'open' | 'none'>('checking');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<LoginLinkForm, unknown, MemberLoginLinkInput>({
    resolver: zodResolver(memberLoginLinkInputSchema),
    defaultValues: { email: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  useEffect(() => {
    rememberMemberSpaceOrg(orgId);
    const controller = new AbortController();
    memberSpaceApi.me(controller.signal).then(
      (view) => setSession(view.organization.id === orgId ? 'open' : 'none'),
      () => {
        if (!controller.signal.aborted) setSession('none');
      },
    );
    return () => controller.abort();
  }, [orgId]);

  if (session === 'open') return <Navigate to="/espace-membre/compte" replace />;
  if (session === 'checking') return <Loading />;

  const onSubmit = async (input: MemberLoginLinkInput) => {
    clear();
    try {
      await memberSpaceApi.requestLoginLink(orgId, input);
      setSentTo(input.email);
    } catch (error) {
      report(error);
    }
  };

  return (
    <AuthCard
      title={t('memberSpace.title')}
      intro={sentTo ? undefined : t('memberSpace.login.intro')}
    >
      {sentTo ? (
        <>
          <Alert kind="success">
            <span data-testid="member-login-sent">{t('memberSpace.login.sent')}</span>
          </Alert>
          <p>
            <button
              type="button"
              className="button"
              data-testid="member-login-again"
              onClick={() => {
                reset({ email: '' });
                setSentTo(null);
              }}
            >
              {t('memberSpace.login.otherAddress')}
            </button>
          </p>
        </>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field
            label={t('fields.email')}
            error={errors.email}
            errorTestId="member-login-email-error"
          >
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="email"
                data-testid="member-login-email"
                {...register('email')}
              />
            )}
          </Field>
          <SubmitButton pending={isSubmitting} testId="member-login-submit">
            {t('memberSpace.login.submit')}
          </SubmitButton>
        </form>
      )}
    </AuthCard>
  );
}
