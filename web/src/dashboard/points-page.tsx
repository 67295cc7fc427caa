import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { MyPoints, ServerEvents } from '../api/types';
import { formatNumber, signed } from '../format';
import { useLive } from '../live';
import { Alert } from '../ui/alert';
import { Loading } from '../ui/card';
import { Header, Main } from '../ui/layout';
import { logout, useSession } from '../use-session';
import { BalanceCard, LevelCard } from './balance-card';
import { CloseAccountCard } from './close-account-card';
import { LeaderboardCard } from './leaderboard-card';
import { LedgerHistory } from './ledger-history';
import { NotificationsCard } from './notifications-card';
import { RedeemCard } from './redeem-card';
import { ReferralLinkCard } from './referral-link-card';
import { ReferralsTable } from './referrals-table';

export type LiveNotification = ServerEvents['new-notification'];

export function PointsPage() {
  const { user, token, error: sessionError } = useSession();
  const [points, setPoints] = useState<MyPoints | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [news, setNews] = useState<string | null>(null);
  const [notice] = useState(() => {
    const text = sessionStorage.getItem('signupNotice');
    sessionStorage.removeItem('signupNotice');
    return text;
  });
  const [live, setLive] = useState<LiveNotification[]>([]);
  const [connected, setConnected] = useState(false);
  const seq = useRef(-1);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!token) return;
    api
      .myPoints()
      .then((p) => (setPoints(p), setError(null)))
      .catch((e) => setError(errorMessage(e)));
  }, [token, version]);

  useLive(token, {
    'points-updated': (e) => {
      if (e.seq <= seq.current) return;
      seq.current = e.seq;
      setPoints((p) => (p ? { ...p, available: e.available, total: e.total, pending: e.pending, debt: e.debt } : p));
      setNews(`${signed(e.delta)} points. Available now: ${formatNumber(e.available)}.`);
      refresh();
    },
    'level-up': (e) => {
      setNews(`You reached the ${e.levelName} level!`);
      refresh();
    },
    'level-down': (e) => {
      setNews(`Your level is now ${e.levelName}.`);
      refresh();
    },
    'referral-signup': (e) => {
      setNews(`${e.refereeName} signed up with your link.`);
      refresh();
    },
    'new-notification': (e) => setLive((list) => (list.some((n) => n.id === e.id) ? list : [e, ...list])),
    resync: () => {
      // Changes made while the socket was away are not replayed: fetch everything shown again.
      seq.current = -1;
      refresh();
    },
  }, setConnected);

  return (
    <>
      <Header user={user} onLogout={logout} current="points" />
      <Main>
        <div class="page-head">
          <h1>My points</h1>
          <span class={connected ? 'live-status on' : 'live-status'} data-testid="live-status">
            {connected ? 'Live updates on' : 'Connecting for live updates…'}
          </span>
        </div>
        <div aria-live="polite" class="live">
          {news ? <Alert kind="success">{news}</Alert> : null}
        </div>
        {notice ? <Alert kind="info">{notice}</Alert> : null}
        {sessionError || error ? <Alert kind="error">{sessionError ?? error}</Alert> : null}
        {!points || !user ? (
          <Loading />
        ) : (
          <div class="grid">
            <BalanceCard points={points} />
            <ReferralLinkCard user={user} />
            <RedeemCard available={points.available} onRedeemed={refresh} />
            <LevelCard points={points} />
            <NotificationsCard live={live} version={version} />
            <LeaderboardCard version={version} userId={user.id} />
            <ReferralsTable version={version} />
            <LedgerHistory version={version} />
            <CloseAccountCard />
          </div>
        )}
      </Main>
    </>
  );
}
