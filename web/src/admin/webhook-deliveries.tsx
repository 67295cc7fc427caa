import { api } from '../api/client';
import type { WebhookDelivery } from '../api/types';
import { formatDateTime } from '../format';
import { Alert } from '../ui/alert';
import { Empty, Loading } from '../ui/card';
import { useLoadMore } from '../ui/load-more';
import { LoadMoreButton } from '../ui/load-more-button';

const STATUS_BADGE: Record<WebhookDelivery['status'], string> = {
  pending: 'badge-pending',
  retrying: 'badge-flagged',
  succeeded: 'badge-converted',
  failed: 'badge-rejected',
  cancelled: '',
};

/** One endpoint's delivery log (kept 30 days), each delivery with its latest attempt. */
export function WebhookDeliveries({ endpointId, version, onRefresh }: { endpointId: string; version: number; onRefresh: () => void }) {
  const list = useLoadMore<WebhookDelivery>((cursor) => api.webhookDeliveries(endpointId, cursor), [endpointId, version]);
  return (
    <div id={`deliveries-${endpointId}`} class="deliveries" aria-label="Deliveries" role="region">
      <div class="card-head">
        <h3>Deliveries</h3>
        <button
          type="button"
          class="link"
          onClick={() => {
            list.reload();
            onRefresh();
          }}
        >
          Refresh<span class="sr-only"> deliveries</span>
        </button>
      </div>
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      {!list.items && list.loading ? <Loading /> : null}
      {list.items && list.items.length === 0 ? <Empty>Nothing delivered yet. “Send test” sends a webhook.test event.</Empty> : null}
      {list.items && list.items.length > 0 ? (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id}>
                  <td data-label="When">{formatDateTime(d.at)}</td>
                  <td data-label="Event">
                    <span class="code">{d.type}</span>
                    <div class="muted small break">{d.eventId}</div>
                  </td>
                  <td data-label="Status">
                    <span class={`badge ${STATUS_BADGE[d.status]}`}>{d.status}</span>
                  </td>
                  <td data-label="Attempts" class="num">{d.attempt}</td>
                  <td data-label="Answer" class="small">
                    {d.responseStatus !== null ? `HTTP ${d.responseStatus}` : '—'}
                    {d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}
                    {d.error ? <div class="negative break">{d.error}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.items ? <LoadMoreButton label="deliveries" more={list.more} loading={list.loading} /> : null}
    </div>
  );
}
