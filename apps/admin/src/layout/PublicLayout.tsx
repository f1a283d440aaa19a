import { Outlet } from 'react-router';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Brand } from './Brand';

/** The frame of the pages reached without a session (login, sign-up, password reset, invitation). */
export function PublicLayout() {
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
