import { useTranslation } from 'react-i18next';

export function Brand() {
  const { t } = useTranslation();
  return (
    <div className="brand">
      <span className="brand__mark" aria-hidden="true">
        ⬢
      </span>
      <span className="brand__name">Ruche</span>
      <span className="brand__tagline">{t('brand.tagline')}</span>
    </div>
  );
}
