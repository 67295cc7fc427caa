import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { CreatedWebhookEndpoint, WebhookEndpoint } from '../api/types';
import { formatDateTime } from '../format';
import { Alert, LiveMessage } from '../ui/alert';
import { Empty, Loading } from '../ui/card';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { useLoadMore } from '../ui/load-more';
import { LoadMoreButton } from '../ui/load-more-button';
import { WebhookCreateForm } from './webhook-create-form';
import { WebhookDeliveries } from './webhook-deliveries';
import { WebhookSecret } from './webhook-secret';

const DISABLED_WHY: Record<string, string> = {
  'disabled-by-admin': 'disabled by an admin',
  'consecutive-failures': 'disabled after 100 failed deliveries in a row',
  'failing-for-3-days': 'disabled after 3 days of failed deliveries',
};

/** Webhook endpoints (API.md "Outbound webhooks"): add one, see its deliveries, test, enable or disable, delete. */
export function WebhooksPanel() {
  const list = useLoadMore<WebhookEndpoint>((cursor) => api.webhooks(cursor), []);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [logVersion, setLogVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const act = async (id: string, work: () => Promise<string>) => {
    setBusy(id);
    setMessage(null);
    try {
      setMessage(await work());
      setError(null);
      list.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    const endpoint = deleting;
    await act(endpoint.id, async () => {
      await api.deleteWebhook(endpoint.id);
      if (openLog === endpoint.id) setOpenLog(null);
      return `Deleted the endpoint ${endpoint.url}.`;
    });
    setDeleting(null);
  };

  return (
    <div class="grid">
      {created ? (
        <WebhookSecret endpoint={created} onDone={() => setCreated(null)} />
      ) : (
        <WebhookCreateForm
          onCreated={(endpoint) => {
            setMessage(null);
            setCreated(endpoint);
            list.reload();
          }}
        />
      )}
      <section class="card card-wide" aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        <LiveMessage error={deleting ? null : error} message={message} />
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        {!list.items && list.loading ? <Loading /> : null}
        {list.items && list.items.length === 0 ? <Empty>No webhook endpoints yet. Add one above to send events to another system.</Empty> : null}
        {list.items && list.items.length > 0 ? (
          <ul class="endpoints">
            {list.items.map((w) => (
              <li key={w.id} class="endpoint" aria-label={`Endpoint ${w.url}`}>
                <div class="endpoint-head">
                  <span class="code break endpoint-url">{w.url}</span>
                  {w.enabled ? <span class="badge badge-converted">enabled</span> : <span class="badge badge-rejected">disabled</span>}
                </div>
                {w.description ? <p class="endpoint-desc">{w.description}</p> : null}
                <p class="muted small">
                  Events: {w.events.includes('*') ? 'all events (*)' : w.events.join(', ')}
                </p>
                <dl class="facts small">
                  <div>
                    <dt>Last delivery</dt>
                    <dd>{w.lastDeliveryAt ? formatDateTime(w.lastDeliveryAt) : 'none yet'}</dd>
                  </div>
                  <div>
                    <dt>Failures in a row</dt>
                    <dd class={w.failureStreak > 0 ? 'negative' : undefined}>{w.failureStreak}</dd>
                  </div>
                  {!w.enabled && w.disabledReason ? (
                    <div>
                      <dt>Why disabled</dt>
                      <dd>{DISABLED_WHY[w.disabledReason] ?? w.disabledReason}</dd>
                    </div>
                  ) : null}
                </dl>
                <div class="actions">
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={openLog === w.id}
                    aria-controls={`deliveries-${w.id}`}
                    onClick={() => setOpenLog(openLog === w.id ? null : w.id)}
                  >
                    {openLog === w.id ? 'Hide deliveries' : 'Deliveries'}
                    <span class="sr-only"> of {w.url}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy === w.id}
                    onClick={() =>
                      act(w.id, async () => {
                        await api.testWebhook(w.id);
                        setOpenLog(w.id);
                        setLogVersion((v) => v + 1);
                        return `Sent a webhook.test event to ${w.url}.`;
                      })
                    }
                  >
                    Send test<span class="sr-only"> to {w.url}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy === w.id}
                    onClick={() =>
                      act(w.id, async () => {
                        await api.updateWebhook(w.id, { enabled: !w.enabled });
                        return `${w.enabled ? 'Disabled' : 'Enabled'} ${w.url}${w.enabled ? '' : '; its failure count starts again from 0'}.`;
                      })
                    }
                  >
                    {w.enabled ? 'Disable' : 'Enable'}
                    <span class="sr-only"> {w.url}</span>
                  </button>
                  <button type="button" class="danger-outline" disabled={busy === w.id} onClick={() => setDeleting(w)}>
                    Delete<span class="sr-only"> {w.url}</span>
                  </button>
                </div>
                {openLog === w.id ? <WebhookDeliveries endpointId={w.id} version={logVersion} onRefresh={list.reload} /> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {list.items ? <LoadMoreButton label="endpoints" more={list.more} loading={list.loading} /> : null}
      </section>
      {deleting ? (
        <ConfirmDialog title="Delete this endpoint?" confirmLabel="Delete" danger busy={busy === deleting.id} onConfirm={remove} onCancel={() => setDeleting(null)}>
          <p class="break">
            <span class="code">{deleting.url}</span> stops receiving events, and its delivery log is deleted. This cannot be undone.
          </p>
          <LiveMessage error={error} />
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

