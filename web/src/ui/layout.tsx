import type { ComponentChildren } from 'preact';
import type { User } from '../api/types';

export function Header({ user, onLogout, current }: { user?: User | null; onLogout?: () => void; current?: 'points' | 'admin' }) {
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href={user ? '/dashboard/account/points' : '/auth/jwt/sign-in'}>
        Referral points
      </a>
      {user ? (
        <nav class="top-nav" aria-label="Main">
          <a href="/dashboard/account/points" aria-current={current === 'points' ? 'page' : undefined}>
            My points
          </a>
          {user.role === 'admin' ? (
            <a href="/dashboard/admin" aria-current={current === 'admin' ? 'page' : undefined}>
              Admin
            </a>
          ) : null}
        </nav>
      ) : null}
      {user ? (
        <div class="who">
          <span class="email" title={user.email}>
            {user.email}
          </span>
          <button type="button" class="link" onClick={onLogout}>
            Log out
          </button>
        </div>
      ) : null}
    </header>
  );
}

export function Main({ children, narrow }: { children: ComponentChildren; narrow?: boolean }) {
  return (
    <main id="main" tabIndex={-1} class={narrow ? 'narrow' : undefined}>
      {children}
    </main>
  );
}
