import { useTranslation } from 'react-i18next';
import { contactsDownloads, type ContactFilterParams } from '../../../api/contacts';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { CONTACTS_EXPORT_PERMISSION } from '../../../layout/navigation';

/**
 * Downloads the directory as shown (same filters and sort, every page) as CSV or Excel: plain
 * links, the session cookie authenticates them. Only for those allowed to export.
 */
export function ExportButtons({ filters, sort }: { filters: ContactFilterParams; sort: string }) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  if (!organization.can(CONTACTS_EXPORT_PERMISSION)) return null;
  return (
    <div className="button-row" role="group" aria-label={t('contacts.export.label')}>
      <a
        className="button"
        href={contactsDownloads.export(organization.id, filters, sort, 'csv')}
        download
        title={t('contacts.export.csvTitle')}
        data-testid="contacts-export-csv"
      >
        {t('contacts.export.csv')}
      </a>
      <a
        className="button"
        href={contactsDownloads.export(organization.id, filters, sort, 'xlsx')}
        download
        title={t('contacts.export.xlsxTitle')}
        data-testid="contacts-export-xlsx"
      >
        {t('contacts.export.xlsx')}
      </a>
    </div>
  );
}
