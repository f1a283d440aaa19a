import { useTranslation } from 'react-i18next';

export function DashboardTitle({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <header className="page-header">
      <p className="page-header__eyebrow">{t('dashboard.eyebrow')}</p>
      <h1 data-testid="dashboard-title">{name}</h1>
    </header>
  );
}
