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
      <Retention points={points} />
    </Card>
  );
}

/** Level windows (off by default, then these fields are null): what keeps the level at the next evaluation. */
function Retention({ points }: { points: MyPoints }) {
  const { qualifyingPoints, pointsToRetain, retainUntil, level } = points;
  // `!= null`: a server without level windows may leave the fields out as well as send null.
  const retention =
    pointsToRetain != null && retainUntil != null
      ? pointsToRetain > 0
        ? `Earn ${formatNumber(pointsToRetain)} more points by ${formatDate(retainUntil)} to keep ${level.name}.`
        : `${level.name} is kept until ${formatDate(retainUntil)}.`
      : null;
  if (retention === null && qualifyingPoints == null) return null;
  return (
    <div data-testid="retention">
      {retention ? <p class="hint">{retention}</p> : null}
      {qualifyingPoints != null ? <p class="hint">{formatNumber(qualifyingPoints)} qualifying points in the current level window.</p> : null}
    </div>
  );
}
