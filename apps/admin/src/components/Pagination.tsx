import { useTranslation } from 'react-i18next';
import type { Page } from '@ruche/contracts';

interface PaginationProps {
  page: Page<unknown>;
  onChange: (offset: number) => void;
}

export function Pagination({ page, onChange }: PaginationProps) {
  const { t } = useTranslation();
  if (page.total <= page.limit && page.offset === 0) return null;
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = Math.min(page.offset + page.limit, page.total);
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <button
        type="button"
        className="button button--small"
        disabled={page.offset === 0}
        onClick={() => onChange(Math.max(0, page.offset - page.limit))}
      >
        {t('pagination.previous')}
      </button>
      <span>{t('pagination.range', { from, to, total: page.total })}</span>
      <button
        type="button"
        className="button button--small"
        disabled={to >= page.total}
        onClick={() => onChange(page.offset + page.limit)}
      >
        {t('pagination.next')}
      </button>
    </nav>
  );
}
