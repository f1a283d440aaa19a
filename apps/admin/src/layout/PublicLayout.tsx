import { Outlet, useSearchParams } from 'react-router';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Brand } from './Brand';

/** `?embed=1` on an embeddable page: shown inside an iframe of the association's own site. */
export function useEmbedded(): boolean {
  const [params] = useSearchParams();
  return params.get('embed') === '1';
}

/**
 * The frame of the pages reached without a session (login, sign-up, password reset, invitation,
 * member space, join page). An `embeddable` page opened with `?embed=1` drops the header (brand,
 * language switch): it lives in an iframe of the association's site.
 */
export function PublicLayout({ embeddable = false }: { embeddable?: boolean }) {
  const embedded = useEmbedded() && embeddable;
  if (embedded) {
    return (
      <div className="public public--embed">
        <main className="public__main">
          <Outlet />
        </main>
      </div>
    );
  }
  return (
    <div className="public">
      <header className="public__header">
        <Brand />
        <LanguageSwitcher />
      </header>
      <main className="public__main">
        <Outlet />
      </main>
    </div>
  );
}
