import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { AdminUserDetail } from '../api/types';
import { formatDate, formatNumber } from '../format';
import { reasonText } from '../referral-reasons';
import { Alert } from '../ui/alert';
import { Loading } from '../ui/card';
import { AdjustPointsForm } from './adjust-points-form';
import { UserLedger } from './user-ledger';

const REFERRAL_STATUS: Record<string, string> = { pending: 'Joined', converted: 'Purchased', flagged: 'Flagged, awaiting review', rejected: 'Rejected' };

/** One user as admins see them (GET /api/admin/users/:id), their ledger and the point adjustment. */
export function UserDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const [user, setUser] = useState<AdminUserDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    api
      .adminUser(id)
      .then((u) => live && (setUser(u), setError(null)))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [id, version]);

  // Moving to the user's page moves focus to its title, so keyboard and screen-reader users land on it.
  const focused = useRef(false);
  useEffect(() => {
    if (user && !focused.current) {
      focused.current = true;
      heading.current?.focus();
    }
  }, [user]);

  return (
    <div class="user-detail">
      <button type="button" class="link back" onClick={onBack}>
        ← Back to the search
      </button>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!user && !error ? <Loading label="Loading the user…" /> : null}
      {user ? (
        <div class="grid user-grid">
          <section class="card card-wide" aria-labelledby="user-title">
            <div class="card-head">
              <h2 id="user-title" ref={heading} tabIndex={-1}>
                {user.name}
              </h2>
              <span>
                {user.role === 'admin' ? <span class="badge">admin</span> : null}{' '}
                {user.flagged ? <span class="badge badge-flagged">flagged</span> : null}
              </span>
            </div>
            <p class="break">
              {user.email}
              <br />
              <span class="muted small">
                Id <span class="code">{user.id}</span> · joined {formatDate(user.createdAt)}
              </span>
            </p>
            <dl class="stats" aria-label="Balances">
              <div>
                <dt>Available</dt>
                <dd data-testid="user-available">{formatNumber(user.points.available)}</dd>
              </div>
              <div>
                <dt>Pending</dt>
                <dd data-testid="user-pending">{formatNumber(user.points.pending)}</dd>
              </div>
              <div>
                <dt>Lifetime total</dt>
                <dd data-testid="user-total">{formatNumber(user.points.total)}</dd>
              </div>
              <div>
                <dt>Debt</dt>
                <dd>{formatNumber(user.points.debt)}</dd>
              </div>
              <div>
                <dt>Level</dt>
                <dd data-testid="user-level">{user.points.level}</dd>
              </div>
            </dl>
            <h3>Referral</h3>
            {user.referral ? (
              <div>
                <p>
                  Referred by {user.referral.referrer.name} <span class="muted small break">({user.referral.referrer.email})</span> —{' '}
                  <span class={`badge badge-${user.referral.status}`}>{REFERRAL_STATUS[user.referral.status] ?? user.referral.status}</span>
                </p>
                {user.referral.reasons.length ? (
                  <ul class="reasons">
                    {user.referral.reasons.map((r) => (
                      <li key={r}>
                        <span class="badge badge-flagged">{r}</span> {reasonText(r)}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : (
              <p class="muted">Nobody referred this user.</p>
            )}
            <h3>As a referrer</h3>
            <p>
              {formatNumber(user.referralStats.totalReferrals)} referred, {formatNumber(user.referralStats.activeReferrals)} active,{' '}
              {formatNumber(user.referralStats.convertedReferrals)} converted; {formatNumber(user.referralStats.totalEarned)} points earned from referrals.
            </p>
          </section>
          <AdjustPointsForm
            user={user}
            onDone={(points) => {
              setUser({ ...user, points: { ...user.points, ...points } });
              setVersion((v) => v + 1);
            }}
          />
          <UserLedger userId={user.id} version={version} />
        </div>
      ) : null}
    </div>
  );
}
