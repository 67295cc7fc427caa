import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import type { Notification } from '../api/types';
import { formatDateTime } from '../format';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import type { LiveNotification } from './points-page';

type Inbox = { state: 'loading' } | { state: 'ready'; items: Notification[]; unread: number; nextCursor: string | null } | { state: 'absent' } | { state: 'error'; message: string };

/** The inbox (`GET /api/notifications`) plus what arrives live; without the inbox API, only what arrived while the page is open. */
export function NotificationsCard({ live, version }: { live: LiveNotification[]; version: number }) {
  const [inbox, setInbox] = useState<Inbox>({ state: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [seenLive, setSeenLive] = useState(0);

  // Without the inbox API there is nothing to fetch again: ask once, then show what arrives live.
  const absent = useRef(false);
  const load = async () => {
    if (absent.current) return;
    await api
      .notifications({ limit: 20 })
      .then((page) => setInbox({ state: 'ready', ...page }))
      .catch((e) => {
        absent.current = e instanceof ApiError && e.status === 404;
        setInbox(absent.current ? { state: 'absent' } : { state: 'error', message: errorMessage(e) });
      });
  };

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

  const items: Array<Notification> =
    inbox.state === 'ready'
      ? [...live.filter((n) => !inbox.items.some((i) => i.id === n.id)).map((n) => ({ ...n, readAt: null })), ...inbox.items]
      : live.map((n, i) => ({ ...n, readAt: i >= live.length - seenLive ? 'seen' : null }));
  const unread = inbox.state === 'ready' ? inbox.unread : live.length - seenLive;

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
      {inbox.state === 'loading' ? <Loading /> : null}
      {inbox.state === 'error' ? <Alert kind="error">{inbox.message}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {inbox.state !== 'loading' && items.length === 0 ? (
        <Empty>{inbox.state === 'absent' ? 'Nothing new. Notifications show up here as they arrive while this page is open.' : 'No notifications yet.'}</Empty>
      ) : null}
      {items.length > 0 ? (
        <ul class="notes">
          {items.map((n) => (
            <li key={n.id} class={n.readAt ? 'read' : 'unread'}>
              <strong>{n.title}</strong>
              <p>{n.message}</p>
              <div class="note-foot">
                <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                {inbox.state === 'ready' && !n.readAt ? (
                  <button type="button" class="link" onClick={() => act(() => api.readNotification(n.id))}>
                    Mark as read<span class="sr-only">: {n.title}</span>
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {unread > 0 ? (
        <button type="button" class="secondary" onClick={() => (inbox.state === 'ready' ? act(() => api.readAllNotifications()) : setSeenLive(live.length))}>
          Mark all as read
        </button>
      ) : null}
    </Card>
  );
}
