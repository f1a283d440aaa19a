import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ContactView, CustomFieldDefinitionView, CustomFieldValue } from '@ruche/contracts';
import { contactsApi } from '../../../api/contacts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { errorMessage } from '../../../i18n/messages';
import { useFormatters } from '../../../i18n/format';
import { useDayFormatter } from '../../accounting/money';
import { MembershipStatusBadge } from '../../memberships/MembershipStatusBadge';
import { TagChips } from '../TagChips';
import { useCustomFields } from '../useContactLists';
import { ContactMemberships } from './ContactMemberships';
import { GdprPanel } from './GdprPanel';
import { HouseholdPanel } from './HouseholdPanel';

export function ContactDetailPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [params] = useSearchParams();
  const { contactId = '' } = useParams();
  const contact = useResource(`contacts:contact:${organization.id}:${contactId}`, (signal) =>
    contactsApi.get(organization.id, contactId, signal),
  );
  const duplicates = useResource(`contacts:duplicates:${organization.id}:${contactId}`, (signal) =>
    contactsApi.duplicatesOf(organization.id, contactId, signal),
  );
  const data = contact.data;
  const [mergeFeedback, setMergeFeedback] = useState<{
    kind: 'success' | 'error';
    text: string;
  } | null>(null);
  const mergeHere = async (candidate: { id: string; displayName: string }) => {
    if (!window.confirm(t('contacts.detail.mergeConfirm', { name: candidate.displayName }))) return;
    try {
      const result = await contactsApi.merge(organization.id, contactId, candidate.id);
      setMergeFeedback({
        kind: 'success',
        text: t('contacts.detail.mergeDone', { count: result.moved.memberships ?? 0 }),
      });
      contact.reload();
      duplicates.reload();
    } catch (error) {
      setMergeFeedback({ kind: 'error', text: errorMessage(t, error) });
    }
  };
  const back = `/orgs/${organization.id}/contacts${params.size > 0 ? `?${params.toString()}` : ''}`;

  return (
    <section aria-labelledby="contact-title" data-testid="contact-detail">
      <p>
        <Link to={back}>← {t('contacts.form.backToList')}</Link>
      </p>
      <ResourceState resource={contact} />
      {data && (
        <>
          <div className="panel__header">
            <h2 id="contact-title">
              <span data-testid="contact-title">{data.displayName}</span>{' '}
              <code className="heading-count" data-testid="contact-reference">
                {data.reference}
              </code>
            </h2>
            {organization.can('contacts.write') && !data.erasedAt && (
              <Link to="edit" className="button" data-testid="contact-edit">
                {t('contacts.detail.edit')}
              </Link>
            )}
          </div>
          {data.erasedAt && <Alert kind="info">{t('contacts.detail.erased')}</Alert>}
          {data.mergedIntoId && (
            <Alert kind="info">
              <span data-testid="contact-merged">
                {t('contacts.detail.mergedInto')}{' '}
                <Link to={`/orgs/${organization.id}/contacts/${data.mergedIntoId}`}>
                  {t('contacts.detail.openKept')}
                </Link>
              </span>
            </Alert>
          )}
          {mergeFeedback && (
            <Alert kind={mergeFeedback.kind}>
              <span data-testid="contact-merge-feedback">{mergeFeedback.text}</span>
            </Alert>
          )}
          {duplicates.data && duplicates.data.length > 0 && (
            <Alert kind="info">
              <span data-testid="contact-possible-duplicates">
                {t('contacts.detail.possibleDuplicates')}{' '}
                {duplicates.data.map((candidate, index) => (
                  <span key={candidate.id}>
                    {index > 0 && ', '}
                    <Link to={`/orgs/${organization.id}/contacts/${candidate.id}`}>
                      {candidate.displayName} ({candidate.reference})
                    </Link>
                    {organization.can('contacts.merge') && !data.mergedIntoId && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="button button--small"
                          data-testid="contact-merge"
                          onClick={() => void mergeHere(candidate)}
                        >
                          {t('contacts.detail.merge')}
                        </button>
                      </>
                    )}
                  </span>
                ))}
              </span>
            </Alert>
          )}
          <div className="detail-columns">
            <Identity contact={data} />
            <div>
              {organization.can('memberships.read') && <Standing contact={data} />}
              <HouseholdPanel contact={data} onChanged={contact.reload} />
              <GdprPanel contact={data} onErased={contact.reload} />
            </div>
          </div>
          {organization.can('memberships.read') && (
            <ContactMemberships contact={data} onChanged={contact.reload} />
          )}
        </>
      )}
    </section>
  );
}

function Identity({ contact }: { contact: ContactView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const customFields = useCustomFields();
  const person = contact.kind === 'person';
  const address = [
    contact.addressLine1,
    contact.addressLine2,
    [contact.postalCode, contact.city].filter(Boolean).join(' '),
    contact.country !== 'FR' ? contact.country : null,
  ].filter(Boolean);

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value ?? t('common.none')}</dd>
    </>
  );

  return (
    <section className="panel" aria-labelledby="identity-title">
      <h2 id="identity-title">{t('contacts.detail.identity')}</h2>
      <dl className="details">
        {row(t('contacts.fields.kind'), t(`contacts.kinds.${contact.kind}`))}
        {person ? (
          <>
            {contact.civility &&
              row(t('contacts.fields.civility'), t(`contacts.civilities.${contact.civility}`))}
            {row(t('contacts.fields.firstName'), contact.firstName)}
            {row(t('contacts.fields.lastName'), contact.lastName)}
            {contact.birthDate && row(t('contacts.fields.birthDate'), day(contact.birthDate))}
          </>
        ) : (
          <>
            {row(t('contacts.fields.organizationName'), contact.organizationName)}
            {row(t('contacts.fields.siren'), contact.siren)}
          </>
        )}
        {row(
          t('contacts.fields.email'),
          contact.email && <a href={`mailto:${contact.email}`}>{contact.email}</a>,
          'contact-email',
        )}
        {contact.phone && row(t('contacts.fields.phone'), contact.phone)}
        {contact.mobilePhone && row(t('contacts.fields.mobilePhone'), contact.mobilePhone)}
        {row(
          t('contacts.detail.address'),
          address.length > 0 ? (
            <address className="address">
              {address.map((line, index) => (
                <span key={index}>{line}</span>
              ))}
            </address>
          ) : null,
        )}
        {row(t('contacts.fields.locale'), t(`language.${contact.locale}`))}
        {contact.tags.length > 0 &&
          row(t('contacts.fields.tagIds'), <TagChips tags={contact.tags} />)}
        {(customFields.data ?? [])
          .filter((field) => contact.customFields[field.key] !== undefined)
          .map((field) => (
            <CustomFieldRow key={field.id} field={field} value={contact.customFields[field.key]} />
          ))}
        {contact.notes &&
          row(t('contacts.fields.notes'), <span className="pre-line">{contact.notes}</span>)}
        {row(t('contacts.detail.createdAt'), format.dateTime(contact.createdAt))}
      </dl>
    </section>
  );
}

function CustomFieldRow({
  field,
  value,
}: {
  field: CustomFieldDefinitionView;
  value: CustomFieldValue | undefined;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const text = (() => {
    if (value === null || value === undefined) return t('common.none');
    if (Array.isArray(value)) return value.join(', ');
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (typeof value === 'number') return format.number(value);
    return field.type === 'date' ? day(value) : value;
  })();
  return (
    <>
      <dt>{field.label}</dt>
      <dd data-testid={`contact-custom-${field.key}`}>{text}</dd>
    </>
  );
}

function Standing({ contact }: { contact: ContactView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const membership = contact.membership;
  return (
    <section className="panel" aria-labelledby="standing-title" data-testid="contact-standing">
      <div className="panel__header">
        <h2 id="standing-title">{t('contacts.detail.standing')}</h2>
        <MembershipStatusBadge
          status={membership?.status ?? null}
          testId="contact-standing-status"
        />
      </div>
      {membership ? (
        <dl className="details">
          <dt>{t('contacts.columns.plan')}</dt>
          <dd>{membership.planName ?? t('common.none')}</dd>
          <dt>{t('contacts.columns.validUntil')}</dt>
          <dd data-testid="contact-valid-until">{day(membership.validUntil)}</dd>
          <dt>{t('contacts.columns.memberSince')}</dt>
          <dd>{day(membership.memberSince)}</dd>
          {membership.lapsedSince && (
            <>
              <dt>{t('contacts.detail.lapsedSince')}</dt>
              <dd>{day(membership.lapsedSince)}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">{t('contacts.detail.neverMember')}</p>
      )}
    </section>
  );
}
