import { api } from '../api/client';
import type { PointTransaction } from '../api/types';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { LedgerTable } from '../ui/ledger-table';
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
      {list.items && list.items.length > 0 ? <LedgerTable items={list.items} /> : null}
      {list.items ? <LoadMoreButton label="entries" more={list.more} loading={list.loading} /> : null}
    </Card>
  );
}
