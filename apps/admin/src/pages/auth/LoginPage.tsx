import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { loginInputSchema, type LoginInput } from '@ruche/contracts';
import type { z } from 'zod';
import { authApi } from '../../api/auth';
import { safeNext } from '../../auth/safeNext';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';
import { AuthCard } from './AuthCard';

type LoginForm = z.input<typeof loginInputSchema>;
const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<LoginForm, unknown, LoginInput>({
    resolver: zodResolver(loginInputSchema),
    defaultValues: { email: params.get('email') ?? '', password: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  if (me && !isSubmitting) return <Navigate to={next ?? '/'} replace />;

  const onSubmit = async (input: LoginInput) => {
    clear();
    try {
      signIn(await authApi.login(input));
      void navigate(next ?? '/', { replace: true });
    } catch (error) {
      report(error);
    }
  };

  return (
    <AuthCard
      title={t('login.title')}
      footer={
        <>
          <Link to="/forgot-password">{t('login.forgotPassword')}</Link>
          <span>
            {t('login.noAccount')} <Link to="/signup">{t('login.signup')}</Link>
          </span>
        </>
      }
    >
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        <Field label={t('fields.email')} error={errors.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="email"
              data-testid="login-email"
              {...register('email')}
            />
          )}
        </Field>
        <Field label={t('fields.password')} error={errors.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              data-testid="login-password"
              {...register('password')}
            />
          )}
        </Field>
        <SubmitButton pending={isSubmitting} testId="login-submit">
          {t('login.submit')}
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
