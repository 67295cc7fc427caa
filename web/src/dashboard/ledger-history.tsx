import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Page, PointTransaction, TransactionType } from '../api/types';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { LedgerTable, TRANSACTION_TYPES } from '../ui/ledger-table';
import { usePaged } from '../ui/paged';
import { Pager } from '../ui/pager';

const TYPES: Array<{ value: TransactionType | ''; label: string }> = [{ value: '', label: 'All' }, ...TRANSACTION_TYPES];

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
      {page && page.items.length > 0 ? <LedgerTable items={page.items} /> : null}
      <Pager label="History" {...paged} />
    </Card>
  );
}
