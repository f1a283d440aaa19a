import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ContactMembershipView, ContactView, MembershipStatus } from '@ruche/contracts';
import { membershipDownloads, membershipsApi } from '../../../api/memberships';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { EmptyState } from '../../../components/EmptyState';
import { FormErrors } from '../../../components/FormErrors';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { splitErrors } from '../../../components/useFormErrors';
import { formatMoney, useDayFormatter } from '../../accounting/money';
import { MembershipStatusBadge } from '../../memberships/MembershipStatusBadge';
import { usePlans } from '../useContactLists';
import { NewMembershipForm } from './NewMembershipForm';
import { emptyPayment, PaymentFields, toPaymentInput, type PaymentValues } from './PaymentFields';

type RowAction = 'pay' | 'renew' | 'cancel';

const PAYMENT_FIELDS = ['method', 'paidOn', 'reference'] as const;

/** Paid memberships that reach (or passed) their end can be renewed; unpaid ones are paid first. */
const RENEWABLE: readonly MembershipStatus[] = ['active', 'expiring_soon', 'grace', 'lapsed'];

/** The contact's memberships, newest first, with new / renew / record payment / cancel. */
export function ContactMemberships({
  contact,
  onChanged,
}: {
  contact: ContactView;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const plans = usePlans();
  const memberships = usePagedResource(
    `memberships:contact:${organization.id}:${contact.id}`,
    (page, signal) => membershipsApi.list(organization.id, { contactId: contact.id }, page, signal),
  );
  const canWrite = organization.can('memberships.write');
  const canCollect = organization.can('memberships.collect');
  /** Plans with counterparts invoice their payments (the treasurer's roles read invoices). */
  const invoiced = (membership: ContactMembershipView) =>
    organization.can('payments.read') &&
    membership.amountCents > 0 &&
    plans.data?.some((plan) => plan.id === membership.planId && !plan.receiptEligible) === true;
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<{ id: string; action: RowAction } | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const items = memberships.data?.items ?? [];

  const changed = (message: string) => {
    setSuccess(message);
    setOpen(null);
    setCreating(false);
    memberships.reload();
    onChanged();
  };

  const renewed = (membership: ContactMembershipView) =>
    items.some((other) => other.renewedFromId === membership.id && other.cancelledAt === null);

  return (
    <section
      className="panel"
      aria-labelledby="memberships-title"
      data-testid="contact-memberships"
    >
      <div className="panel__header">
        <h2 id="memberships-title">{t('contacts.detail.memberships')}</h2>
        {canWrite && !creating && (
          <button
            type="button"
            className="button button--primary"
            data-testid="membership-new"
            onClick={() => {
              setSuccess(null);
              setCreating(true);
            }}
          >
            {t('memberships.actions.new')}
          </button>
        )}
      </div>
      {success && (
        <Alert kind="success">
          <span data-testid="membership-feedback">{success}</span>
        </Alert>
      )}
      {creating && plans.data && (
        <NewMembershipForm
          contact={contact}
          plans={plans.data}
          onCreated={() => changed(t('memberships.actions.created'))}
          onCancel={() => setCreating(false)}
        />
      )}
      {creating && plans.data?.filter((plan) => plan.active).length === 0 && (
        <Alert kind="info">{t('memberships.form.noPlan')}</Alert>
      )}
      <ResourceState resource={memberships} />
      {memberships.data?.items.length === 0 && (
        <EmptyState>{t('contacts.detail.noMembership')}</EmptyState>
      )}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="memberships-table">
            <thead>
              <tr>
                <th scope="col">{t('memberships.columns.plan')}</th>
                <th scope="col">{t('memberships.columns.period')}</th>
                <th scope="col" className="numeric">
                  {t('memberships.columns.amount')}
                </th>
                <th scope="col">{t('memberships.columns.status')}</th>
                <th scope="col">{t('memberships.columns.payment')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((membership) => {
                const live = membership.cancelledAt === null;
                const canPay = canCollect && live && membership.paidOn === null;
                const canRenew =
                  canWrite &&
                  RENEWABLE.includes(membership.status) &&
                  membership.endDate !== null &&
                  !renewed(membership);
                const toggle = (action: RowAction) => {
                  setSuccess(null);
                  setOpen(
                    open?.id === membership.id && open.action === action
                      ? null
                      : { id: membership.id, action },
                  );
                };
                return (
                  <Fragment key={membership.id}>
                    <tr data-testid="membership-row" data-status={membership.status}>
                      <td>
                        {membership.planName}
                        {membership.tierLabel && (
                          <span className="cell-note">{membership.tierLabel}</span>
                        )}
                        {membership.contactId !== contact.id && (
                          <span className="cell-note">
                            {t('memberships.viaHousehold', { name: membership.contactName })}
                          </span>
                        )}
                        {membership.note && <span className="cell-note">{membership.note}</span>}
                      </td>
                      <td className="nowrap">
                        {membership.endDate
                          ? t('memberships.period', {
                              start: day(membership.startDate),
                              end: day(membership.endDate),
                            })
                          : t('memberships.periodLifetime', { start: day(membership.startDate) })}
                      </td>
                      <td className="numeric nowrap">
                        {formatMoney(membership.amountCents, membership.currency)}
                      </td>
                      <td>
                        <MembershipStatusBadge
                          status={membership.status}
                          testId="membership-status"
                        />
                        {membership.cancelReason && (
                          <span className="cell-note">{membership.cancelReason}</span>
                        )}
                      </td>
                      <td>
                        {membership.paidOn ? (
                          <>
                            {day(membership.paidOn)}
                            <span className="cell-note">
                              {[
                                membership.paymentMethod &&
                                  t(`memberships.payment.methods.${membership.paymentMethod}`, {
                                    defaultValue: membership.paymentMethod,
                                  }),
                                membership.paymentReference,
                              ]
                                .filter(Boolean)
                                .join(' · ')}
                            </span>
                            {live && (
                              <span className="cell-note">
                                <a
                                  href={membershipDownloads.attestation(
                                    organization.id,
                                    membership.id,
                                  )}
                                  download
                                  aria-label={t('memberships.attestationOf', {
                                    plan: membership.planName,
                                    start: day(membership.startDate),
                                  })}
                                  data-testid="membership-attestation-link"
                                >
                                  {t('memberships.attestation')}
                                </a>
                              </span>
                            )}
                            {invoiced(membership) && (
                              <span className="cell-note">
                                <Link
                                  to={`/orgs/${organization.id}/invoices?sourceId=${membership.id}`}
                                  data-testid="membership-invoices-link"
                                >
                                  {t('invoices.membershipLink')}
                                </Link>
                              </span>
                            )}
                          </>
                        ) : (
                          <span className="muted">{t('memberships.payment.unpaid')}</span>
                        )}
                      </td>
                      <td className="table__actions">
                        <div className="button-row button-row--end">
                          {canPay && (
                            <button
                              type="button"
                              className="button button--small button--primary"
                              aria-expanded={open?.id === membership.id && open.action === 'pay'}
                              data-testid="membership-pay"
                              onClick={() => toggle('pay')}
                            >
                              {t('memberships.actions.pay')}
                            </button>
                          )}
                          {canRenew && (
                            <RenewButton
                              membership={membership}
                              onRenewed={() => changed(t('memberships.actions.renewed'))}
                            />
                          )}
                          {canRenew && canCollect && (
                            <button
                              type="button"
                              className="button button--small"
                              aria-expanded={open?.id === membership.id && open.action === 'renew'}
                              data-testid="membership-renew-pay"
                              onClick={() => toggle('renew')}
                            >
                              {t('memberships.actions.renewWithPayment')}
                            </button>
                          )}
                          {canWrite && live && (
                            <button
                              type="button"
                              className="button button--small button--danger"
                              aria-expanded={open?.id === membership.id && open.action === 'cancel'}
                              data-testid="membership-cancel"
                              onClick={() => toggle('cancel')}
                            >
                              {t('memberships.actions.cancel')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                    {open?.id === membership.id && (
                      <tr className="table__expansion">
                        <td colSpan={6}>
                          {open.action === 'cancel' ? (
                            <CancelForm
                              membership={membership}
                              onDone={() => changed(t('memberships.actions.cancelled'))}
                              onClose={() => setOpen(null)}
                            />
                          ) : (
                            <PaymentForm
                              membership={membership}
                              action={open.action}
                              recipient={
                                membership.contactId === contact.id ? contact.email : undefined
                              }
                              onDone={() =>
                                changed(
                                  open.action === 'pay'
                                    ? t('memberships.actions.paid')
                                    : t('memberships.actions.renewed'),
                                )
                              }
                              onClose={() => setOpen(null)}
                            />
                          )}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {memberships.data && <Pagination page={memberships.data} onChange={memberships.setOffset} />}
    </section>
  );
}

/** One-click renewal: the next period, same plan and tier, payment to record later. */
function RenewButton({
  membership,
  onRenewed,
}: {
  membership: ContactMembershipView;
  onRenewed: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);

  const renew = async () => {
    setPending(true);
    setErrors([]);
    try {
      await membershipsApi.renew(organization.id, membership.id);
      onRenewed();
    } catch (error) {
      setErrors(splitErrors(t, error, []).general);
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="button button--small"
        disabled={pending}
        aria-busy={pending}
        data-testid="membership-renew"
        onClick={() => void renew()}
      >
        {t('memberships.actions.renew')}
      </button>
      {errors.length > 0 && (
        <span className="field__error" role="alert" data-testid="membership-renew-error">
          {errors.join(' ')}
        </span>
      )}
    </>
  );
}

/** Records the payment of a pending membership, or renews it with its payment. */
function PaymentForm({
  membership,
  action,
  recipient,
  onDone,
  onClose,
}: {
  membership: ContactMembershipView;
  action: 'pay' | 'renew';
  /** The holder's address for the confirmation (null: none; undefined: another holder). */
  recipient?: string | null;
  onDone: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [payment, setPayment] = useState<PaymentValues>(emptyPayment);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });

  const submit = async () => {
    setPending(true);
    setErrors({ byField: {}, general: [] });
    try {
      const input = toPaymentInput(payment);
      if (action === 'pay')
        await membershipsApi.recordPayment(organization.id, membership.id, input);
      else await membershipsApi.renew(organization.id, membership.id, { payment: input });
      onDone();
    } catch (error) {
      setErrors(splitErrors(t, error, PAYMENT_FIELDS, action === 'pay' ? '' : 'payment.'));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      data-testid={action === 'pay' ? 'membership-pay-form' : 'membership-renew-form'}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <p className="form__title">
        {action === 'pay'
          ? t('memberships.payment.recordFor', {
              amount: formatMoney(membership.amountCents, membership.currency),
            })
          : t('memberships.payment.renewFor', { plan: membership.planName })}
      </p>
      <FormErrors messages={errors.general} />
      <PaymentFields
        value={payment}
        onChange={setPayment}
        errors={errors.byField}
        testId="membership-payment"
        recipient={recipient}
      />
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={pending}
          aria-busy={pending}
          data-testid={action === 'pay' ? 'membership-pay-confirm' : 'membership-renew-confirm'}
        >
          {action === 'pay'
            ? t('memberships.actions.recordPayment')
            : t('memberships.actions.renew')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Cancels a membership, with its reason. */
function CancelForm({
  membership,
  onDone,
  onClose,
}: {
  membership: ContactMembershipView;
  onDone: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string[] }>({
    byField: {},
    general: [],
  });

  const submit = async () => {
    if (!reason.trim()) {
      setErrors({ byField: { reason: t('errors.required') }, general: [] });
      return;
    }
    setPending(true);
    setErrors({ byField: {}, general: [] });
    try {
      await membershipsApi.cancel(organization.id, membership.id, { reason: reason.trim() });
      onDone();
    } catch (error) {
      setErrors(splitErrors(t, error, ['reason']));
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="membership-cancel-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <FormErrors messages={errors.general} />
      <div className={`field${errors.byField.reason ? ' field--invalid' : ''}`}>
        <label htmlFor={`cancel-reason-${membership.id}`}>{t('memberships.cancel.reason')}</label>
        <input
          id={`cancel-reason-${membership.id}`}
          type="text"
          maxLength={500}
          value={reason}
          aria-invalid={Boolean(errors.byField.reason)}
          aria-describedby={
            errors.byField.reason ? `cancel-reason-${membership.id}-error` : undefined
          }
          data-testid="membership-cancel-reason"
          onChange={(event) => setReason(event.target.value)}
        />
        {errors.byField.reason && (
          <p id={`cancel-reason-${membership.id}-error`} className="field__error">
            {errors.byField.reason}
          </p>
        )}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--danger"
          disabled={pending}
          aria-busy={pending}
          data-testid="membership-cancel-confirm"
        >
          {t('memberships.cancel.confirm')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('memberships.cancel.keep')}
        </button>
      </div>
    </form>
  );
}
