import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page, PointTransaction, TransactionType } from '../api/types';
import { formatDateTime, formatNumber, signed } from '../format';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { usePaged } from '../ui/paged';
import { Pager } from '../ui/pager';

const TYPES: Array<{ value: TransactionType | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'earn', label: 'Earned' },
  { value: 'spend', label: 'Spent' },
  { value: 'refund', label: 'Refunded' },
  { value: 'clawback', label: 'Clawed back' },
  { value: 'expire', label: 'Expired' },
];

const TYPE_LABEL = Object.fromEntries(TYPES.map((t) => [t.value, t.label])) as Record<string, string>;

export function LedgerHistory({ version }: { version: number }) {
  const [type, setType] = useState<TransactionType | ''>('');
  const paged = usePaged<Page<PointTransaction>>((cursor) => api.transactions({ cursor, type, limit: 10 }), [version, type]);
  const { page } = paged;
  return (
    <Card
      title="History"
      id="history"
      wide
      actions={
        <div class="inline-field">
          <label for="history-type">Show</label>
          <select id="history-type" value={type} onChange={(e) => setType(e.currentTarget.value as TransactionType | '')}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {paged.error ? <Alert kind="error">{paged.error}</Alert> : null}
      {!page && paged.loading ? <Loading /> : null}
      {page && page.items.length === 0 ? <Empty>{type ? 'Nothing of this kind yet.' : 'No points yet: they appear here as you earn them.'}</Empty> : null}
      {page && page.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col" class="num">
                  Points
                </th>
                <th scope="col" class="num">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((t) => (
                <tr key={t.id}>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    {t.description ?? TYPE_LABEL[t.type] ?? t.type}
                    <div class="muted small">
                      {TYPE_LABEL[t.type] ?? t.type} · {t.source}
                      {t.status && t.status !== 'posted' ? ` · ${t.status === 'pending' ? 'held' : t.status}` : ''}
                    </div>
                  </td>
                  <td class={t.amount < 0 ? 'num negative' : 'num positive'}>{signed(t.amount)}</td>
                  <td class="num">{formatNumber(t.balanceAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="History" {...paged} />
    </Card>
  );
}
