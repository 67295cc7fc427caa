import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { Leaderboard } from '../api/types';
import { countOf, formatNumber } from '../format';
import { Alert } from '../ui/alert';
import { Card, Empty, Loading } from '../ui/card';

export function LeaderboardCard({ version, userId }: { version: number; userId: string }) {
  const [board, setBoard] = useState<Leaderboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .leaderboard()
      .then((b) => (setBoard(b), setError(null)))
      .catch((e) => setError(errorMessage(e)));
  }, [version]);

  const me = board?.me;
  return (
    <Card title="Leaderboard" id="leaderboard">
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!board && !error ? <Loading /> : null}
      {board && board.items.length === 0 ? <Empty>No referrals yet. The first to refer a friend tops the board.</Empty> : null}
      {board && board.items.length > 0 ? (
        <>
          {me && me.totalReferrals > 0 ? (
            <p>
              You are <strong>#{formatNumber(me.rank)}</strong> with {countOf(me.totalReferrals, 'referral')}.
            </p>
          ) : (
            <p class="hint">Refer a friend to join the board.</p>
          )}
          <ol class="leaderboard">
            {board.items.map((row) => (
              <li key={row.userId} class={row.userId === userId ? 'me' : undefined} aria-current={row.userId === userId ? 'true' : undefined}>
                <span class="rank">#{formatNumber(row.rank)}</span>
                <span class="name">{row.name}</span>
                <span class="muted">{countOf(row.totalReferrals, 'referral')}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </Card>
  );
}
