import type { MyPoints } from '../api/types';
import { formatDate, formatNumber } from '../format';
import { Card } from '../ui/card';

export function BalanceCard({ points }: { points: MyPoints }) {
  const debt = points.debt ?? 0;
  return (
    <Card title="Balance" id="balance">
      <p class="big" data-testid="available">
        {formatNumber(points.available)} <span class="unit">points available</span>
      </p>
      <dl class="stats">
        <div>
          <dt>Pending</dt>
          <dd data-testid="pending">{formatNumber(points.pending)}</dd>
        </div>
        <div>
          <dt>Lifetime total</dt>
          <dd data-testid="total">{formatNumber(points.total)}</dd>
        </div>
        <div>
          <dt>Debt</dt>
          <dd data-testid="debt">{formatNumber(debt)}</dd>
        </div>
      </dl>
      {points.pending > 0 ? <p class="hint">Pending points become available when their holding period ends.</p> : null}
      {debt > 0 ? <p class="hint">A refund took back more than you had; the debt is settled from what you earn next.</p> : null}
      {points.expiring ? (
        <p class="hint">
          {formatNumber(points.expiring.amount)} points expire on {formatDate(points.expiring.at)}.
        </p>
      ) : null}
    </Card>
  );
}

export function LevelCard({ points }: { points: MyPoints }) {
  const { level, nextLevel } = points;
  const span = nextLevel ? nextLevel.minPoints - level.minPoints : 0;
  const done = nextLevel ? Math.min(span, Math.max(0, points.total - level.minPoints)) : 0;
  return (
    <Card title="Level" id="level">
      <p class="big level-name" data-testid="level">
        {level.name}
      </p>
      {nextLevel ? (
        <>
          <progress max={span} value={done} aria-label={`Progress to ${nextLevel.name}`} />
          <p class="hint">
            {formatNumber(points.pointsToNextLevel)} more points to reach {nextLevel.name}.
          </p>
        </>
      ) : (
        <p class="hint">You are at the highest level.</p>
      )}
      {points.retainUntil && points.pointsToRetain ? (
        <p class="hint">
          Earn {formatNumber(points.pointsToRetain)} more points by {formatDate(points.retainUntil)} to keep {level.name}.
        </p>
      ) : null}
    </Card>
  );
}
