import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useTranslation } from 'react-i18next';
import {
  createFiscalYearInputSchema,
  type CreateFiscalYearInput,
  type FiscalYearView,
} from '@ruche/contracts';
import { roleHasPermission } from '@ruche/core';
import type { z } from 'zod';
import { accountingApi } from '../../../api/accounting';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { Badge } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { Field } from '../../../components/Field';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { useServerErrors } from '../../../components/useServerErrors';
import { useDayFormatter } from '../money';
import { useFiscalYears } from '../useAccountingLists';
import { YearClosePanel } from './YearClosePanel';
import { YearReopenPanel } from './YearReopenPanel';

type FiscalYearForm = z.input<typeof createFiscalYearInputSchema>;
const FIELDS = ['startDate', 'endDate'] as const;

export function FiscalYearsTab() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const fiscalYears = useFiscalYears();
  const canConfigure = organization.can('accounting.configure');
  const canClose = roleHasPermission(organization.role, 'accounting.close');
  const canReopen = roleHasPermission(organization.role, 'accounting.reopen');
  const [closing, setClosing] = useState<FiscalYearView | null>(null);
  const [reopening, setReopening] = useState<FiscalYearView | null>(null);
  const [reopened, setReopened] = useState(false);
  const hasActions = canClose || canReopen;

  return (
    <>
      <section className="panel" aria-labelledby="fiscal-years-title">
        <h2 id="fiscal-years-title">{t('accounting.tabs.fiscalYears')}</h2>
        <ResourceState resource={fiscalYears} />
        {fiscalYears.data?.length === 0 && (
          <EmptyState>{t('accounting.fiscalYears.empty')}</EmptyState>
        )}
        {fiscalYears.data && fiscalYears.data.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('accounting.fiscalYears.columns.start')}</th>
                  <th scope="col">{t('accounting.fiscalYears.columns.end')}</th>
                  <th scope="col">{t('accounting.fiscalYears.columns.status')}</th>
                  <th scope="col" className="numeric">
                    {t('accounting.fiscalYears.columns.lastNumber')}
                  </th>
                  {hasActions && <th scope="col">{t('common.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {fiscalYears.data.map((year) => (
                  <tr key={year.id} data-testid="fiscal-year-row">
                    <td>{day(year.startDate)}</td>
                    <td>{day(year.endDate)}</td>
                    <td>
                      <Badge tone={year.status === 'open' ? 'success' : 'neutral'}>
                        {t(`accounting.fiscalYears.status.${year.status}`)}
                      </Badge>
                    </td>
                    <td className="numeric">{year.lastEntryNumber}</td>
                    {hasActions && (
                      <td>
                        {year.status === 'open' && canClose && (
                          <button
                            type="button"
                            className="button button--small"
                            data-testid="fiscal-year-close"
                            aria-expanded={closing?.id === year.id}
                            onClick={() => {
                              setReopening(null);
                              setReopened(false);
                              setClosing(year);
                            }}
                          >
                            {t('accounting.fiscalYears.close')}
                          </button>
                        )}
                        {year.status === 'closed' && canReopen && (
                          <button
                            type="button"
                            className="button button--small"
                            data-testid="fiscal-year-reopen"
                            aria-expanded={reopening?.id === year.id}
                            onClick={() => {
                              setClosing(null);
                              setReopened(false);
                              setReopening(year);
                            }}
                          >
                            {t('accounting.fiscalYears.reopen')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {reopened && <Alert kind="success">{t('accounting.yearReopen.done')}</Alert>}
      </section>
      {closing && (
        <YearClosePanel
          key={closing.id}
          year={closing}
          onClosed={fiscalYears.reload}
          onCancel={() => setClosing(null)}
        />
      )}
      {reopening && (
        <YearReopenPanel
          key={reopening.id}
          year={reopening}
          onReopened={() => {
            setReopening(null);
            setReopened(true);
            fiscalYears.reload();
          }}
          onCancel={() => setReopening(null)}
        />
      )}
      {canConfigure && <NewFiscalYearForm onCreated={fiscalYears.reload} />}
    </>
  );
}

function NewFiscalYearForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [created, setCreated] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<FiscalYearForm, unknown, CreateFiscalYearInput>({
    resolver: zodResolver(createFiscalYearInputSchema),
    defaultValues: { startDate: '', endDate: '' },
  });
  const { formError, report, clear } = useServerErrors(setError, FIELDS);

  const onSubmit = async (input: CreateFiscalYearInput) => {
    clear();
    setCreated(false);
    try {
      await accountingApi.createFiscalYear(organization.id, input);
      setCreated(true);
      reset({ startDate: '', endDate: '' });
      onCreated();
    } catch (error) {
      report(error);
    }
  };

  return (
    <section className="panel" aria-labelledby="new-fiscal-year-title">
      <h2 id="new-fiscal-year-title">{t('accounting.fiscalYears.addTitle')}</h2>
      <form onSubmit={handleSubmit(onSubmit)} noValidate className="form">
        {formError && <Alert kind="error">{formError}</Alert>}
        {created && <Alert kind="success">{t('accounting.fiscalYears.created')}</Alert>}
        <div className="form-row">
          <Field label={t('accounting.fiscalYears.columns.start')} error={errors.startDate}>
            {(control) => (
              <input
                {...control}
                type="date"
                data-testid="fiscal-year-start"
                {...register('startDate')}
              />
            )}
          </Field>
          <Field label={t('accounting.fiscalYears.columns.end')} error={errors.endDate}>
            {(control) => (
              <input
                {...control}
                type="date"
                data-testid="fiscal-year-end"
                {...register('endDate')}
              />
            )}
          </Field>
          <SubmitButton pending={isSubmitting} testId="fiscal-year-add">
            {t('accounting.fiscalYears.add')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
