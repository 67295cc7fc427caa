import { api } from '../api/client';
import type { ReferralPage } from '../api/types';
import { formatDate, formatNumber } from '../format';
import { STATUS_LABEL, statusExplanation } from '../referral-reasons';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';
import { usePaged } from '../ui/paged';
import { Pager } from '../ui/pager';

export function ReferralsTable({ version }: { version: number }) {
  const paged = usePaged<ReferralPage>((cursor) => api.referrals({ cursor, limit: 10 }), [version]);
  const { page } = paged;
  return (
    <Card title="Your referrals" id="referrals" wide>
      {page ? (
        <dl class="stats">
          <div>
            <dt>Referred</dt>
            <dd>{formatNumber(page.stats.totalReferrals)}</dd>
          </div>
          <div>
            <dt>Purchased</dt>
            <dd>{formatNumber(page.stats.convertedReferrals)}</dd>
          </div>
          <div>
            <dt>Points earned</dt>
            <dd>{formatNumber(page.stats.totalEarned)}</dd>
          </div>
        </dl>
      ) : null}
      {paged.error ? <Alert kind="error">{paged.error}</Alert> : null}
      {!page && paged.loading ? <Loading /> : null}
      {page && page.items.length === 0 ? <Empty>No one has signed up with your link yet. Share it to get started.</Empty> : null}
      {page && page.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
                <th scope="col" class="num">
                  Points
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((r) => {
                const why = statusExplanation(r.status, r.reasons);
                return (
                  <tr key={r.id}>
                    <td>
                      {r.name}
                      <div class="muted small">{r.email}</div>
                    </td>
                    <td>
                      <span class={`badge badge-${r.status}`}>{STATUS_LABEL[r.status] ?? r.status}</span>
                      {why ? <div class="small">{why}</div> : null}
                    </td>
                    <td>{formatDate(r.joinedAt)}</td>
                    <td class="num">{formatNumber(r.pointsEarned)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label="Referrals" {...paged} />
    </Card>
  );
}
