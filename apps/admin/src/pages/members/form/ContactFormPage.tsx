import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { contactsApi } from '../../../api/contacts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { ResourceState } from '../../../components/ResourceState';
import { useCustomFields, useTags } from '../useContactLists';
import { ContactForm } from './ContactForm';
import { emptyContactForm, toContactForm } from './contactForm';

/** New contact (`contacts/new`) or edit (`contacts/:contactId/edit`). */
export function ContactFormPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const { contactId } = useParams();
  const [params] = useSearchParams();
  const customFields = useCustomFields();
  const tags = useTags();
  const contact = useResource(
    `contacts:contact:${organization.id}:${contactId ?? 'new'}`,
    (signal) =>
      contactId ? contactsApi.get(organization.id, contactId, signal) : Promise.resolve(null),
  );
  const back = contactId
    ? `/orgs/${organization.id}/contacts/${contactId}`
    : `/orgs/${organization.id}/contacts${params.size > 0 ? `?${params.toString()}` : ''}`;

  return (
    <section aria-labelledby="contact-form-title">
      <p>
        <Link to={back}>
          ← {contactId ? t('contacts.form.backToContact') : t('contacts.form.backToList')}
        </Link>
      </p>
      <h2 id="contact-form-title">
        {contact.data
          ? t('contacts.form.editTitle', { name: contact.data.displayName })
          : t('contacts.form.newTitle')}
      </h2>
      <ResourceState resource={contact} />
      <ResourceState resource={customFields} />
      <ResourceState resource={tags} />
      {contact.data !== undefined && customFields.data && tags.data && (
        <ContactForm
          key={contact.data?.id ?? 'new'}
          contactId={contact.data?.id ?? null}
          householdId={contact.data?.household?.id ?? null}
          customFields={customFields.data}
          tags={tags.data}
          defaultValues={
            contact.data
              ? toContactForm(contact.data, customFields.data)
              : emptyContactForm(customFields.data)
          }
        />
      )}
    </section>
  );
}
