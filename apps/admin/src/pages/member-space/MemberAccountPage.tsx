import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CONSENT_KINDS, type ConsentKind, type MemberSpaceView } from '@ruche/contracts';
import { ApiError } from '../../api/client';
import { lastMemberSpaceOrg, memberSpaceApi, rememberMemberSpaceOrg } from '../../api/memberSpace';
import { Alert } from '../../components/Alert';
import { Badge, type BadgeTone } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { applyUserLanguage } from '../../i18n';
import { errorMessage } from '../../i18n/messages';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { MembershipStatusBadge } from '../memberships/MembershipStatusBadge';
import { MemberDetailsForm } from './MemberDetailsForm';
import { MemberInvoices } from './MemberInvoices';
import { MemberReceipts } from './MemberReceipts';

type AutoRenewalView = NonNullable<MemberSpaceView['autoRenewal']>;

/** Stripe's subscription statuses; another one is shown as it comes. */
const AUTO_RENEWAL_TONES: Record<string, BadgeTone> = {
  active: 'success',
  trialing: 'success',
  past_due: 'danger',
  unpaid: 'danger',
  incomplete: 'warning',
  canceled: 'neutral',
};

type PageState =
  | { kind: 'loading' }
  | { kind: 'ready'; view: MemberSpaceView }
  | { kind: 'ended' }
  | { kind: 'error'; error: unknown };

interface SectionProps {
  view: MemberSpaceView;
  onChange: (view: MemberSpaceView) => void;
  /** Returns true when it handled the failure (the member session is gone). */
  onFailure: (error: unknown) => boolean;
}

/** `/espace-membre/compte`: the member's own account, behind the member session cookie. */
export function MemberAccountPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [state, setState] = useState<PageState>({ kind: 'loading' });
  const [version, setVersion] = useState(0);

  /** The session is gone: back to the login of the last association seen, or a message. */
  const ended = useCallback(() => {
    const orgId = lastMemberSpaceOrg();
    if (orgId) void navigate(`/espace-membre/${encodeURIComponent(orgId)}`, { replace: true });
    else setState({ kind: 'ended' });
  }, [navigate]);

  const onFailure = useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError) || error.status !== 401) return false;
      ended();
      return true;
    },
    [ended],
  );

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    memberSpaceApi.me(controller.signal).then(
      (view) => {
        rememberMemberSpaceOrg(view.organization.id);
        applyUserLanguage(view.contact.locale);
        setState({ kind: 'ready', view });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (!onFailure(error)) setState({ kind: 'error', error });
      },
    );
    return () => controller.abort();
  }, [onFailure, version]);

  const onChange = useCallback((view: MemberSpaceView) => setState({ kind: 'ready', view }), []);

  if (state.kind === 'loading') return <Loading />;
  if (state.kind === 'ended')
    return (
      <section className="card card--narrow auth-card" data-testid="member-session-ended">
        <h1>{t('memberSpace.title')}</h1>
        <Alert kind="info">{t('memberSpace.account.sessionEnded')}</Alert>
      </section>
    );
  if (state.kind === 'error')
    return (
      <section className="card card--narrow auth-card">
        <h1>{t('memberSpace.title')}</h1>
        <ErrorState
          message={errorMessage(t, state.error)}
          onRetry={() => setVersion((v) => v + 1)}
        />
      </section>
    );

  const { view } = state;
  return (
    <div className="member-space" data-testid="member-space">
      <header className="page-header member-space__header">
        <div>
          <p className="page-header__eyebrow" data-testid="member-org-name">
            {view.organization.name}
          </p>
          <h1 data-testid="member-name">{view.contact.displayName}</h1>
          <p className="muted" data-testid="member-reference">
            {t('memberSpace.account.reference', { reference: view.contact.reference })}
          </p>
        </div>
        <LogoutButton view={view} />
      </header>
      <Standing view={view} onChange={onChange} onFailure={onFailure} />
      {view.autoRenewal && (
        <AutoRenewal view={view} renewal={view.autoRenewal} onFailure={onFailure} />
      )}
      <Memberships view={view} />
      <MemberReceipts onFailure={onFailure} />
      <MemberInvoices onFailure={onFailure} />
      <MemberDetailsForm view={view} onChange={onChange} onFailure={onFailure} />
      <Consents view={view} onChange={onChange} onFailure={onFailure} />
      {view.organization.email && (
        <p className="muted">
          {t('memberSpace.account.contactOrganization')}{' '}
          <a href={`mailto:${view.organization.email}`}>{view.organization.email}</a>
        </p>
      )}
    </div>
  );
}

function LogoutButton({ view }: { view: MemberSpaceView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);

  const logout = async () => {
    setPending(true);
    try {
      await memberSpaceApi.logout(view.csrfToken);
    } catch {
      // Gone or not, the member leaves the page; the login page checks the session again.
    }
    void navigate(`/espace-membre/${encodeURIComponent(view.organization.id)}`, { replace: true });
  };

  return (
    <button
      type="button"
      className="button"
      disabled={pending}
      aria-busy={pending}
      data-testid="member-logout"
      onClick={() => void logout()}
    >
      {t('memberSpace.account.logout')}
    </button>
  );
}

/** Where the member stands today, and the renewal when one is possible. */
function Standing({ view, onChange, onFailure }: SectionProps) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const [pending, setPending] = useState(false);
  const [renewed, setRenewed] = useState<{ amount: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const standing = view.standing;
  const renewable = view.memberships.find((item) => item.id === view.renewableMembershipId);

  const renew = async () => {
    const renewableId = view.renewableMembershipId;
    if (!renewableId) return;
    const plan = renewable?.planName ?? standing?.planName ?? '';
    if (!window.confirm(t('memberSpace.account.renewConfirm', { plan }))) return;
    setPending(true);
    setError(null);
    setRenewed(null);
    try {
      const next = await memberSpaceApi.renew(view.csrfToken);
      const created =
        next.memberships.find((item) => item.renewedFromId === renewableId) ??
        next.memberships.find((item) => item.status === 'pending_payment');
      setRenewed({
        amount: created ? formatMoney(created.amountCents, created.currency) : '',
      });
      onChange(next);
    } catch (failure) {
      if (!onFailure(failure)) setError(errorMessage(t, failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <section
      className="panel"
      aria-labelledby="member-standing-title"
      data-testid="member-standing"
      data-status={standing?.status ?? 'none'}
    >
      <div className="panel__header">
        <h2 id="member-standing-title">{t('memberSpace.account.standing')}</h2>
        {view.renewableMembershipId && (
          <button
            type="button"
            className="button button--primary"
            disabled={pending}
            aria-busy={pending}
            data-testid="member-renew"
            onClick={() => void renew()}
          >
            {t('memberSpace.account.renew')}
          </button>
        )}
      </div>
      {renewed && (
        <Alert kind="success">
          <span data-testid="member-renewed">
            {t('memberSpace.account.renewed')}
            {renewed.amount && (
              <>
                {' '}
                <strong data-testid="member-renewed-amount">
                  {t('memberSpace.account.renewAmount', { amount: renewed.amount })}
                </strong>
              </>
            )}
          </span>
        </Alert>
      )}
      {error && (
        <Alert kind="error">
          <span data-testid="member-renew-error">{error}</span>
        </Alert>
      )}
      {standing ? (
        <dl className="details">
          <dt>{t('memberSpace.account.status')}</dt>
          <dd>
            <MembershipStatusBadge status={standing.status} testId="member-status" />
          </dd>
          {standing.planName && (
            <>
              <dt>{t('memberSpace.account.plan')}</dt>
              <dd data-testid="member-plan">{standing.planName}</dd>
            </>
          )}
          <dt>{t('memberSpace.account.validUntil')}</dt>
          <dd data-testid="member-valid-until">{day(standing.validUntil)}</dd>
          <dt>{t('memberSpace.account.memberSince')}</dt>
          <dd data-testid="member-since">{day(standing.memberSince)}</dd>
          {standing.lapsedSince && (
            <>
              <dt>{t('memberSpace.account.lapsedSince')}</dt>
              <dd data-testid="member-lapsed-since">{day(standing.lapsedSince)}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted" data-testid="member-no-standing">
          {t('memberSpace.account.noStanding')}
        </p>
      )}
    </section>
  );
}

/**
 * The automatic renewal the member chose (a Stripe subscription): where it stands, how much and
 * when, and Stripe's customer portal to update the card or bank account it is paid with.
 */
function AutoRenewal({
  view,
  renewal,
  onFailure,
}: {
  view: MemberSpaceView;
  renewal: AutoRenewalView;
  onFailure: (error: unknown) => boolean;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const failing = renewal.status === 'past_due' || renewal.status === 'unpaid';
  const canceled = renewal.status === 'canceled';

  const openPortal = async () => {
    setPending(true);
    setError(null);
    try {
      const { url } = await memberSpaceApi.billingPortal(view.csrfToken);
      window.location.assign(url);
    } catch (failure) {
      if (!onFailure(failure)) setError(errorMessage(t, failure));
      setPending(false);
    }
  };

  return (
    <section
      className="panel"
      aria-labelledby="member-auto-renewal-title"
      data-testid="member-auto-renewal"
      data-status={renewal.status}
    >
      <div className="panel__header">
        <h2 id="member-auto-renewal-title">{t('memberSpace.account.autoRenewal.title')}</h2>
        <button
          type="button"
          className="button"
          disabled={pending}
          aria-busy={pending}
          data-testid="member-billing-portal"
          onClick={() => void openPortal()}
        >
          {t('memberSpace.account.autoRenewal.updatePaymentMethod')}
        </button>
      </div>
      {failing && (
        <Alert kind="warning">
          <span data-testid="member-auto-renewal-failing">
            {t('memberSpace.account.autoRenewal.failing')}
          </span>
        </Alert>
      )}
      {error && (
        <Alert kind="error">
          <span data-testid="member-billing-portal-error">{error}</span>
        </Alert>
      )}
      <dl className="details">
        <dt>{t('memberSpace.account.autoRenewal.status')}</dt>
        <dd data-testid="member-auto-renewal-status" data-status={renewal.status}>
          <Badge tone={AUTO_RENEWAL_TONES[renewal.status] ?? 'neutral'}>
            {t(`memberSpace.account.autoRenewal.statuses.${renewal.status}`, {
              defaultValue: renewal.status,
            })}
          </Badge>
        </dd>
        <dt>{t('memberSpace.account.autoRenewal.interval')}</dt>
        <dd data-testid="member-auto-renewal-interval" data-interval={renewal.interval}>
          {t(`memberSpace.account.autoRenewal.intervals.${renewal.interval}`)}
        </dd>
        <dt>{t('memberSpace.account.autoRenewal.amount')}</dt>
        <dd data-testid="member-auto-renewal-amount">
          {formatMoney(renewal.amountCents, renewal.currency)}
        </dd>
        <dt>
          {canceled
            ? t('memberSpace.account.autoRenewal.periodEnd')
            : t('memberSpace.account.autoRenewal.nextRenewal')}
        </dt>
        <dd data-testid="member-auto-renewal-next">{day(renewal.currentPeriodEnd)}</dd>
      </dl>
    </section>
  );
}

/** Pays a membership waiting for payment at Stripe Checkout (card or SEPA debit). */
function PayOnline({ view, membershipId }: { view: MemberSpaceView; membershipId: string }) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<'card' | 'sepa_debit'>('card');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pay = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await memberSpaceApi.pay(view.csrfToken, { membershipId, method });
      // Paying from the member space is always at Checkout: no page is a failure.
      if (!result.checkoutUrl) throw new Error('No Checkout page');
      window.location.assign(result.checkoutUrl);
    } catch (err) {
      // 409 `memberships.paid_by_subscription`: the automatic renewal pays it (see its panel).
      setError(errorMessage(t, err));
      setBusy(false);
    }
  };
  return (
    <span className="pay-online">
      {view.onlinePayment.methods.length > 1 && (
        <select
          aria-label={t('memberSpace.account.payMethod')}
          data-testid="member-pay-method"
          value={method}
          onChange={(e) => setMethod(e.target.value as 'card' | 'sepa_debit')}
        >
          {view.onlinePayment.methods.map((m) => (
            <option key={m} value={m}>
              {t(`memberSpace.account.payMethods.${m}`)}
            </option>
          ))}
        </select>
      )}{' '}
      <button
        type="button"
        className="button button--primary button--small"
        data-testid="member-pay"
        disabled={busy}
        onClick={() => void pay()}
      >
        {t('memberSpace.account.pay')}
      </button>
      {error && (
        <span role="alert" className="field-error" data-testid="member-pay-error">
          {error}
        </span>
      )}
    </span>
  );
}

/** The member's memberships, as the server lists them. */
function Memberships({ view }: { view: MemberSpaceView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  return (
    <section className="panel" aria-labelledby="member-history-title">
      <h2 id="member-history-title">{t('memberSpace.account.history')}</h2>
      {view.memberships.length === 0 ? (
        <EmptyState>{t('memberSpace.account.noMembership')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="member-memberships">
            <thead>
              <tr>
                <th scope="col">{t('memberships.columns.plan')}</th>
                <th scope="col">{t('memberships.columns.period')}</th>
                <th scope="col" className="numeric">
                  {t('memberships.columns.amount')}
                </th>
                <th scope="col">{t('memberships.columns.status')}</th>
                <th scope="col">{t('memberships.columns.payment')}</th>
              </tr>
            </thead>
            <tbody>
              {view.memberships.map((membership) => (
                <tr
                  key={membership.id}
                  data-testid="member-membership-row"
                  data-status={membership.status}
                >
                  <td>
                    {membership.planName}
                    {membership.tierLabel && (
                      <span className="cell-note">{membership.tierLabel}</span>
                    )}
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
                    <MembershipStatusBadge status={membership.status} />
                  </td>
                  <td>
                    {membership.paidOn ? (
                      <>
                        {t('memberSpace.account.paidOn', { date: day(membership.paidOn) })}
                        {membership.cancelledAt === null &&
                          membership.contactReference === view.contact.reference && (
                            <span className="cell-note">
                              <a
                                href={memberSpaceApi.attestationPdfUrl(membership.id)}
                                download
                                aria-label={t('memberships.attestationOf', {
                                  plan: membership.planName,
                                  start: day(membership.startDate),
                                })}
                                data-testid="member-attestation-link"
                              >
                                {t('memberships.attestation')}
                              </a>
                            </span>
                          )}
                      </>
                    ) : membership.status === 'pending_payment' && view.onlinePayment.enabled ? (
                      <PayOnline view={view} membershipId={membership.id} />
                    ) : (
                      <span className="muted">{t('memberships.payment.unpaid')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Newsletter and image rights: each checkbox records the member's choice at once. */
function Consents({ view, onChange, onFailure }: SectionProps) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<ConsentKind | null>(null);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; message: string } | null>(
    null,
  );

  const record = async (kind: ConsentKind, granted: boolean) => {
    setPending(kind);
    setFeedback(null);
    try {
      onChange(await memberSpaceApi.recordConsent(view.csrfToken, { kind, granted }));
      setFeedback({
        kind: 'success',
        message: granted
          ? t('memberSpace.account.consentGranted')
          : t('memberSpace.account.consentWithdrawn'),
      });
    } catch (error) {
      if (!onFailure(error)) setFeedback({ kind: 'error', message: errorMessage(t, error) });
    } finally {
      setPending(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="member-consents-title">
      <h2 id="member-consents-title">{t('memberSpace.account.consents')}</h2>
      <p className="muted">{t('memberSpace.account.consentsIntro')}</p>
      {feedback && (
        <Alert kind={feedback.kind}>
          <span data-testid="member-consent-feedback">{feedback.message}</span>
        </Alert>
      )}
      <ul className="plain-list">
        {CONSENT_KINDS.map((kind) => {
          const granted = view.consents.current[kind]?.granted ?? false;
          return (
            <li key={kind}>
              <label className="checkbox-field">
                <input
                  type="checkbox"
                  role="switch"
                  checked={granted}
                  disabled={pending !== null}
                  aria-busy={pending === kind}
                  data-testid={`member-consent-${kind}`}
                  data-granted={String(granted)}
                  onChange={(event) => void record(kind, event.target.checked)}
                />
                {t(`memberSpace.account.consentKinds.${kind}`)}
              </label>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
