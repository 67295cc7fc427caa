import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { Analytics } from '../api/types';
import { formatNumber, formatPercent } from '../format';
import { Alert } from '../ui/alert';
import { Card, Loading } from '../ui/card';
import { FunnelChart } from './funnel-chart';
import { PointsChart } from './points-chart';

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The analytics report over a range of whole UTC days, `to` included. */
export function Overview() {
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 29 * DAY)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [data, setData] = useState<Analytics | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    if (!from || !to) return;
    if (from > to) {
      setError('The start date must not be after the end date.');
      return;
    }
    let live = true;
    setLoading(true);
    const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY).toISOString();
    api
      .analytics(`${from}T00:00:00.000Z`, end)
      .then((a) => live && (setData(a), setError(null)))
      .catch((e) => live && setError(errorMessage(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [from, to]);

  return (
    <>
      <form class="range" onSubmit={(e) => e.preventDefault()} aria-label="Date range">
        <div class="inline-field">
          <label for="range-from">From</label>
          <input id="range-from" type="date" value={from} max={to} required onChange={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="inline-field">
          <label for="range-to">To</label>
          <input id="range-to" type="date" value={to} min={from} required onChange={(e) => setTo(e.currentTarget.value)} />
        </div>
        <span class="muted small">UTC days</span>
      </form>
      <div aria-live="polite">{error ? <Alert kind="error">{error}</Alert> : null}</div>
      {!data && loading ? <Loading /> : null}
      {data ? (
        <div class="grid" aria-busy={loading}>
          <Card title="Referral funnel" id="funnel">
            <FunnelChart
              steps={[
                { label: 'Link clicks', value: data.clicks },
                { label: 'Sign-ups', value: data.signups },
                { label: 'Referred sign-ups', value: data.referredSignups },
                { label: 'Converted', value: data.convertedReferrals },
              ]}
            />
            <p class="hint">
              Conversion rate (converted / referred): <strong>{formatPercent(data.conversionRate)}</strong>. Flagged, awaiting review:{' '}
              <strong>{formatNumber(data.flaggedReferrals)}</strong>.
            </p>
          </Card>
          <Card title="Points by day" id="points-by-day">
            <p class="hint">
              Awarded <strong>{formatNumber(data.pointsAwarded)}</strong>, redeemed <strong>{formatNumber(data.pointsRedeemed)}</strong> in the range.
            </p>
            <PointsChart days={data.byDay} />
          </Card>
        </div>
      ) : null}
    </>
  );
}
