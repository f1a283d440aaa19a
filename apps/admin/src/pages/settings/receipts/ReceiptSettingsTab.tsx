import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptSettingsView } from '@ruche/contracts';
import { orgsApi } from '../../../api/orgs';
import { receiptsApi } from '../../../api/receipts';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { ReceiptProblems } from './ReceiptProblems';
import { ReceiptSettingsForm } from './ReceiptSettingsForm';
import { SignaturePanel } from './SignaturePanel';
import { TaxRatesPanel } from './TaxRatesPanel';

/**
 * Settings › Reçus fiscaux: what receipts need before they can be issued (a checklist), the
 * settings (modes, articles, signer, RUP dates, email), the signature printed on them and the
 * tax reduction rates in force.
 */
export function ReceiptSettingsTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const settings = useResource(`receipts:settings:${organization.id}`, (signal) =>
    receiptsApi.settings(organization.id, signal),
  );
  const org = useResource(`organization:${organization.id}`, (signal) =>
    orgsApi.get(organization.id, signal),
  );
  /** The settings as the last change answered them (saves and signature changes answer them). */
  const [latest, setLatest] = useState<ReceiptSettingsView | null>(null);
  const view = latest ?? settings.data;
  const readOnly = !organization.can('receipts.configure');

  return (
    <>
      <section className="panel" aria-labelledby="receipt-settings-title">
        <h2 id="receipt-settings-title">{t('settings.tabs.receipts')}</h2>
        <p className="muted">{t('receipts.settings.intro')}</p>
        {readOnly && <Alert kind="info">{t('receipts.settings.readOnly')}</Alert>}
        <ResourceState resource={settings} />
        {view && <ReceiptProblems problems={view.problems} enabled={view.enabled} />}
        {settings.data && org.data && (
          <ReceiptSettingsForm
            initial={settings.data}
            rup={org.data.organismType === 'rup'}
            readOnly={readOnly}
            onSaved={setLatest}
          />
        )}
        {settings.data && !org.data && <ResourceState resource={org} />}
      </section>
      {view && <SignaturePanel settings={view} readOnly={readOnly} onChange={setLatest} />}
      {view && <TaxRatesPanel rates={view.rates} />}
    </>
  );
}
