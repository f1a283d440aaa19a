import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { acceptInvitationInputSchema } from '@ruche/contracts';
import type { z } from 'zod';
import { authApi, type AcceptedInvitation } from '../../api/auth';
import { Alert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { SubmitButton } from '../../components/SubmitButton';
import { useServerErrors } from '../../components/useServerErrors';

const accountSchema = acceptInvitationInputSchema.pick({ name: true, password: true }).required();
type AccountForm = z.input<typeof accountSchema>;
type Account = z.output<typeof accountSchema>;
const FIELDS = ['name', 'password'] as const;

/** The invited address has no account yet: choose a name and a password to create it. */
export function NewAccountAccept({
  token,
  onAccepted,
}: {
  token: string;
  onAccepted: (accepted: AcceptedInvitation) => void;
}) {
  const { t } = useTranslation();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<AccountForm, unknown, Account>({
    resolver: zodResolver(accountSchema),
    defaultValues: { name: '', password: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (account: Account) => {
    clear();
    try {
      onAccepted(await authApi.acceptInvitation({ token, ...account }));
    } catch (error) {
      report(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
      <p>{t('invitation.createAccount')}</p>
      {formError && <Alert kind="error">{formError}</Alert>}
      <Field label={t('fields.yourName')} error={errors.name}>
        {(control) => <input {...control} autoComplete="name" {...register('name')} />}
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
      <SubmitButton pending={isSubmitting}>{t('invitation.accept')}</SubmitButton>
    </form>
  );
}
