import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { requestPasswordResetInputSchema, type RequestPasswordResetInput } from '@ruche/contracts';
import type { z } from 'zod';
import { authApi } from '../../api/auth';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';
import { AuthCard } from './AuthCard';

type ForgotForm = z.input<typeof requestPasswordResetInputSchema>;
const FIELDS = ['email'] as const;

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ForgotForm, unknown, RequestPasswordResetInput>({
    resolver: zodResolver(requestPasswordResetInputSchema),
    defaultValues: { email: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: RequestPasswordResetInput) => {
    clear();
    try {
      await authApi.requestPasswordReset(input);
      setSent(true);
    } catch (error) {
      report(error);
    }
  };

  return (
    <AuthCard
      title={t('forgot.title')}
      intro={sent ? undefined : t('forgot.intro')}
      footer={<Link to="/login">{t('common.backToLogin')}</Link>}
    >
      {sent ? (
        <Alert kind="success">{t('forgot.sent')}</Alert>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field label={t('fields.email')} error={errors.email}>
            {(control) => (
              <input {...control} type="email" autoComplete="email" {...register('email')} />
            )}
          </Field>
          <SubmitButton pending={isSubmitting}>{t('forgot.submit')}</SubmitButton>
        </form>
      )}
    </AuthCard>
  );
}
