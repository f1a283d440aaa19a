import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { resetPasswordInputSchema } from '@ruche/contracts';
import type { z } from 'zod';
import { authApi } from '../../api/auth';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';
import { AuthCard } from './AuthCard';

const passwordFormSchema = resetPasswordInputSchema.pick({ password: true });
type PasswordForm = z.infer<typeof passwordFormSchema>;
const FIELDS = ['password'] as const;

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<PasswordForm>({
    resolver: zodResolver(passwordFormSchema),
    defaultValues: { password: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async ({ password }: PasswordForm) => {
    clear();
    try {
      await authApi.resetPassword({ token, password });
      setDone(true);
    } catch (error) {
      report(error);
    }
  };

  if (!token) {
    return (
      <AuthCard
        title={t('reset.title')}
        footer={<Link to="/forgot-password">{t('reset.requestNew')}</Link>}
      >
        <Alert kind="error">{t('errors.auth.reset_token_invalid')}</Alert>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={t('reset.title')}
      intro={done ? undefined : t('reset.intro')}
      footer={<Link to="/login">{t('common.backToLogin')}</Link>}
    >
      {done ? (
        <Alert kind="success">{t('reset.done')}</Alert>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
          {formError && <Alert kind="error">{formError}</Alert>}
          <Field
            label={t('fields.newPassword')}
            error={errors.password}
            hint={t('fields.passwordHint')}
          >
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                {...register('password')}
              />
            )}
          </Field>
          <SubmitButton pending={isSubmitting}>{t('reset.submit')}</SubmitButton>
        </form>
      )}
    </AuthCard>
  );
}
