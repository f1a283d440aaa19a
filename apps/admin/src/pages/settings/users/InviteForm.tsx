import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import { inviteUserInputSchema, type InviteUserInput } from '@ruche/contracts';
import type { z } from 'zod';
import { orgsApi } from '../../../api/orgs';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { useServerErrors } from '../../../components/useServerErrors';
import { assignableRoles } from './assignableRoles';

type InviteForm = z.input<typeof inviteUserInputSchema>;
const FIELDS = ['email', 'role'] as const;

export function InviteForm({ onInvited }: { onInvited: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [invited, setInvited] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<InviteForm, unknown, InviteUserInput>({
    resolver: zodResolver(inviteUserInputSchema),
    defaultValues: { email: '', role: 'member' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: InviteUserInput) => {
    clear();
    setInvited(null);
    try {
      await orgsApi.invite(organization.id, input);
      setInvited(input.email);
      reset({ email: '', role: input.role });
      onInvited();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="invite-title">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        {invited && <Alert kind="success">{t('invite.sent', { email: invited })}</Alert>}
        <div className="form-row">
          <Field label={t('fields.email')} error={errors.email}>
            {(control) => (
              <input {...control} type="email" autoComplete="off" {...register('email')} />
            )}
          </Field>
          <Field label={t('fields.role')} error={errors.role}>
            {(control) => (
              <select {...control} {...register('role')}>
                {assignableRoles(organization.role, null).map((role) => (
                  <option key={role} value={role}>
                    {t(`roles.${role}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SubmitButton pending={isSubmitting}>{t('invite.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
