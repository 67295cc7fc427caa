import { useState } from 'preact/hooks';
import { Alert } from '../ui/alert';
import { Loading } from '../ui/card';
import { Header, Main } from '../ui/layout';
import { logout, useSession } from '../use-session';
import './admin.css';
import { AuditLog } from './audit-log';
import { FlaggedQueue } from './flagged-queue';
import { Overview } from './overview';
import { RewardRulesPanel } from './rules-panel';
import { UsersPanel } from './users-panel';
import { WebhooksPanel } from './webhooks-panel';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'flagged', label: 'Flagged referrals' },
  { id: 'users', label: 'Users' },
  { id: 'rules', label: 'Reward rules' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'audit', label: 'Audit log' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function initialTab(): TabId {
  const tab = new URLSearchParams(location.search).get('tab');
  return TABS.some((t) => t.id === tab) ? (tab as TabId) : 'overview';
}

export function AdminPage() {
  const { user, error } = useSession();
  const [tab, setTab] = useState<TabId>(initialTab);

  const choose = (id: TabId) => {
    setTab(id);
    history.replaceState(null, '', id === 'overview' ? location.pathname : `${location.pathname}?tab=${id}`);
  };

  // Arrow keys move between tabs, as the WAI-ARIA tabs pattern expects.
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(i + step + TABS.length) % TABS.length].id;
    choose(next);
    document.getElementById(`tab-${next}`)?.focus();
  };

  return (
    <>
      <Header user={user} onLogout={logout} current="admin" />
      <Main>
        {error ? <Alert kind="error">{error}</Alert> : null}
        {!user ? (
          error ? null : <Loading />
        ) : user.role !== 'admin' ? (
          <section class="card narrow-card" aria-labelledby="forbidden-title">
            <h1 id="forbidden-title">Admins only</h1>
            <p>The admin console is for administrators. You are signed in as {user.email}, which is not an admin account.</p>
            <p>
              <a href="/dashboard/account/points">Back to my points</a>
            </p>
          </section>
        ) : (
          <>
            <h1>Admin console</h1>
            <div role="tablist" aria-label="Admin sections" class="tabs" onKeyDown={onKey}>
              {TABS.map((t) => (
                <button
                  key={t.id}
                  type="button"
                  role="tab"
                  id={`tab-${t.id}`}
                  aria-selected={tab === t.id}
                  aria-controls={`panel-${t.id}`}
                  tabIndex={tab === t.id ? 0 : -1}
                  onClick={() => choose(t.id)}
                >
                  {t.label}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0} class="panel">
              {tab === 'overview' ? <Overview /> : null}
              {tab === 'flagged' ? <FlaggedQueue /> : null}
              {tab === 'users' ? <UsersPanel /> : null}
              {tab === 'rules' ? <RewardRulesPanel /> : null}
              {tab === 'webhooks' ? <WebhooksPanel /> : null}
              {tab === 'audit' ? <AuditLog /> : null}
            </div>
          </>
        )}
      </Main>
    </>
  );
}
