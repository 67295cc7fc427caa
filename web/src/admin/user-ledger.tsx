import { api } from '../api/client';
import type { PointTransaction } from '../api/types';
import { formatDateTime, formatNumber, signed } from '../format';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { useLoadMore } from '../ui/load-more';
import { LoadMoreButton } from '../ui/load-more-button';

/** The user's ledger (GET /api/admin/users/:id/transactions), newest first. */
export function UserLedger({ userId, version }: { userId: string; version: number }) {
  const list = useLoadMore<PointTransaction>((cursor) => api.adminUserTransactions(userId, cursor), [userId, version]);
  return (
    <Card title="Ledger" id="user-ledger">
      {list.error ? <Alert kind="error">{list.error}</Alert> : null}
      {!list.items && list.loading ? <Loading /> : null}
      {list.items && list.items.length === 0 ? <Empty>No ledger entries yet.</Empty> : null}
      {list.items && list.items.length > 0 ? (
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
              {list.items.map((t) => (
                <tr key={t.id}>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>
                    {t.description ?? t.type}
                    <div class="muted small">
                      {t.type} · {t.source}
                      {t.status && t.status !== 'posted' ? ` · ${t.status}` : ''}
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
      {list.items ? <LoadMoreButton label="entries" more={list.more} loading={list.loading} /> : null}
    </Card>
  );
}
