import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { Notification } from '../api/types';
import { formatDateTime } from '../format';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import type { LiveNotification } from './points-page';

type Inbox = { items: Notification[]; unread: number; nextCursor: string | null };

/** The inbox (`GET /api/notifications`, with its unread count), fetched again when a notification arrives live. */
export function NotificationsCard({ live, version }: { live: LiveNotification[]; version: number }) {
  const [inbox, setInbox] = useState<Inbox | null>(null);
  // Pages after the first, fetched with "Show older"; dropped when the first page is fetched again.
  const [older, setOlder] = useState<{ items: Notification[]; nextCursor: string | null } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api
      .notifications({ limit: 20 })
      .then((page) => {
        setInbox(page);
        setOlder(null);
        setLoadError(null);
      })
      .catch((e) => setLoadError(errorMessage(e)));

  useEffect(() => {
    void load();
  }, [version, live.length]);

  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const cursor = older ? older.nextCursor : (inbox?.nextCursor ?? null);
  const loadOlder = async () => {
    if (!cursor) return;
    setBusy(true);
    try {
      const page = await api.notifications({ cursor, limit: 20 });
      setOlder((prev) => ({ items: [...(prev?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // What arrived over the socket but is not in the last fetched page yet shows at once, unread.
  const fresh = inbox ? live.filter((n) => !inbox.items.some((i) => i.id === n.id)).map((n) => ({ ...n, readAt: null })) : [];
  const items: Notification[] = inbox ? [...fresh.reverse(), ...inbox.items, ...(older?.items ?? [])] : [];
  const unread = inbox ? inbox.unread + fresh.length : 0;

  return (
    <Card
      title="Notifications"
      id="notifications"
      actions={
        unread > 0 ? (
          <span class="badge badge-unread" data-testid="unread">
            {unread} unread
          </span>
        ) : null
      }
    >
      {!inbox && !loadError ? <Loading /> : null}
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      <div aria-live="polite">{error ? <Alert kind="error">{error}</Alert> : null}</div>
      {inbox && items.length === 0 ? <Empty>No notifications yet.</Empty> : null}
      {items.length > 0 ? (
        <ul class="notes">
          {items.map((n) => (
            <li key={n.id} class={n.readAt ? 'read' : 'unread'}>
              <strong>{n.title}</strong>
              {n.readAt ? null : <span class="sr-only"> (unread)</span>}
              <p>{n.message}</p>
              <div class="note-foot">
                <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                {!n.readAt ? (
                  <button type="button" class="link" onClick={() => act(() => api.readNotification(n.id))}>
                    Mark as read<span class="sr-only">: {n.title}</span>
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="actions">
        {unread > 0 ? (
          <button type="button" class="secondary" onClick={() => act(() => api.readAllNotifications())}>
            Mark all as read
          </button>
        ) : null}
        {cursor ? (
          <button type="button" class="link" onClick={loadOlder} disabled={busy}>
            {busy ? 'Loading…' : 'Show older'}
          </button>
        ) : null}
      </div>
    </Card>
  );
}
