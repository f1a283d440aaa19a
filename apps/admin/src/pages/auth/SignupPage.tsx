import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { signupInputSchema, type SignupInput } from '@ruche/contracts';
import type { z } from 'zod';
import { authApi } from '../../api/auth';
import { useSession } from '../../auth/SessionContext';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';
import { LANGUAGES } from '../../i18n';
import { AuthCard } from './AuthCard';

type SignupForm = z.input<typeof signupInputSchema>;
const FIELDS = ['organizationName', 'name', 'email', 'password', 'locale'] as const;

export function SignupPage() {
  const { t, i18n } = useTranslation();
  const { me, signIn } = useSession();
  const navigate = useNavigate();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SignupForm, unknown, SignupInput>({
    resolver: zodResolver(signupInputSchema),
    defaultValues: {
      organizationName: '',
      name: '',
      email: '',
      password: '',
      locale: i18n.language === 'en' ? 'en' : 'fr',
    },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  if (me && !isSubmitting) return <Navigate to="/" replace />;

  const onSubmit = async (input: SignupInput) => {
    clear();
    try {
      const created = await authApi.signup(input);
      signIn(created);
      const organization = created.organizations[0];
      void navigate(organization ? `/orgs/${organization.organizationId}/dashboard` : '/', {
        replace: true,
      });
    } catch (error) {
      report(error);
    }
  };

  return (
    <AuthCard
      title={t('signup.title')}
      intro={t('signup.intro')}
      footer={
        <span>
          {t('signup.haveAccount')} <Link to="/login">{t('signup.login')}</Link>
        </span>
      }
    >
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        <Field label={t('fields.organizationName')} error={errors.organizationName}>
          {(control) => (
            <input {...control} autoComplete="organization" {...register('organizationName')} />
          )}
        </Field>
        <Field label={t('fields.yourName')} error={errors.name}>
          {(control) => <input {...control} autoComplete="name" {...register('name')} />}
        </Field>
        <Field label={t('fields.email')} error={errors.email}>
          {(control) => (
            <input {...control} type="email" autoComplete="email" {...register('email')} />
          )}
        </Field>
        <Field label={t('fields.password')} error={errors.password} hint={t('fields.passwordHint')}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              {...register('password')}
            />
          )}
        </Field>
        <Field label={t('fields.language')} error={errors.locale}>
          {(control) => (
            <select {...control} {...register('locale')}>
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`language.${language}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SubmitButton pending={isSubmitting}>{t('signup.submit')}</SubmitButton>
      </form>
    </AuthCard>
  );
}
