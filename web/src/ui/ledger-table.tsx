import type { PointTransaction, TransactionType } from '../api/types';
import { formatDateTime, formatNumber, signed } from '../format';

export const TRANSACTION_TYPES: Array<{ value: TransactionType; label: string }> = [
  { value: 'earn', label: 'Earned' },
  { value: 'spend', label: 'Spent' },
  { value: 'refund', label: 'Refunded' },
  { value: 'clawback', label: 'Clawed back' },
  { value: 'expire', label: 'Expired' },
];

const TYPE_LABEL = Object.fromEntries(TRANSACTION_TYPES.map((t) => [t.value, t.label])) as Record<string, string>;

/** Ledger entries, newest first: the user's history and the admin's view of a user. */
export function LedgerTable({ items }: { items: PointTransaction[] }) {
  return (
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
          {items.map((t) => (
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
  );
}
