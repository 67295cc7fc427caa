import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { LevelsService } from '../levels/levels.service';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { LeaderboardDto } from './dto/leaderboard.dto';
import { ListTransactionsQueryDto } from './dto/list-transactions-query.dto';
import { MyPointsDto } from './dto/my-points.dto';
import { PointTransactionDto, PointTransactionPageDto } from './dto/point-transaction.dto';
import { Balances } from './points-ledger.repository';
import { PointsQueryRepository } from './points-query.repository';
import { evaluationDropping, nextEvaluation, windowStart } from './level-window';
import { LevelWindowRepository } from './level-window.repository';
import { LevelDto } from '../levels/dto/level.dto';
import { PointsErrorCode, PointsException } from './points.exception';

@Injectable()
export class PointsQueriesService {
  constructor(
    private readonly queries: PointsQueryRepository,
    private readonly levels: LevelsService,
    private readonly windows: LevelWindowRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async myPoints(userId: string): Promise<MyPointsDto> {
    const balances = await this.queries.findBalances(userId);
    if (!balances) throw new PointsException(PointsErrorCode.USER_NOT_FOUND, 'No such user');
    const { current, next } = await this.levels.standing(balances.level);
    const { days, reminderDays } = this.config.pointsExpiry;
    const expiring = days > 0 ? await this.queries.expiring(userId, this.clock.now(), reminderDays) : null;
    const ref = (l: { level: number; name: string; minPoints: number }) => ({ level: l.level, name: l.name, minPoints: l.minPoints });
    const standing = this.config.levelWindowMonths > 0 ? await this.retention(userId, current) : null;
    const qualifying = standing ? standing.qualifyingPoints : balances.total;
    return {
      total: balances.total,
      available: balances.available,
      pending: balances.pending,
      debt: balances.debt,
      level: ref(current),
      nextLevel: next && ref(next),
      pointsToNextLevel: next ? Math.max(0, next.minPoints - qualifying) : 0,
      expiring: expiring && { amount: expiring.amount, at: expiring.at.toISOString() },
      qualifyingPoints: standing?.qualifyingPoints ?? null,
      pointsToRetain: standing?.pointsToRetain ?? null,
      retainUntil: standing?.retainUntil ?? null,
    };
  }

  /**
   * What keeps the level under a window: at the next evaluation the window will hold the points
   * earned after its new start; what the level needs beyond that is still to earn. When nothing is,
   * the level is kept until the evaluation that drops enough of today's points out of the window.
   */
  private async retention(userId: string, current: LevelDto): Promise<{ qualifyingPoints: number; pointsToRetain: number; retainUntil: string | null }> {
    const months = this.config.levelWindowMonths;
    const now = this.clock.now();
    const { qualifying, entries } = await this.windows.window(userId, windowStart(now, months));
    const tiers = await this.levels.list();
    const lowest = tiers.length === 0 || tiers[0].level === current.level;
    const qualifyingPoints = Math.max(qualifying, 0);
    if (lowest) return { qualifyingPoints, pointsToRetain: 0, retainUntil: null };
    const evaluation = nextEvaluation(now);
    const from = windowStart(evaluation, months);
    const atEvaluation = entries.filter((e) => e.at > from).reduce((sum, e) => sum + e.amount, 0);
    const pointsToRetain = Math.max(0, current.minPoints - atEvaluation);
    if (pointsToRetain > 0) return { qualifyingPoints, pointsToRetain, retainUntil: evaluation.toISOString() };
    let left = atEvaluation;
    for (const e of entries) {
      if (e.at <= from) continue;
      left -= e.amount;
      if (left < current.minPoints) return { qualifyingPoints, pointsToRetain, retainUntil: evaluationDropping(e.at, months).toISOString() };
    }
    return { qualifyingPoints, pointsToRetain, retainUntil: null };
  }

  /** Raw balances (level as a number) of several users at once, for the admin console. */
  balancesOf(userIds: string[]): Promise<Map<string, Balances>> {
    return this.queries.findBalancesOf(userIds);
  }

  async transactions(userId: string, query: ListTransactionsQueryDto): Promise<PointTransactionPageDto> {
    const { limit, after } = pageRequest(query);
    const rows = await this.queries.listTransactions(userId, limit + 1, after, query.type);
    return toPage(rows, limit, (r) => r.cursor, (r) => PointTransactionDto.from(r.entry));
  }

  async leaderboard(limit: number, callerId: string | undefined): Promise<LeaderboardDto> {
    const [items, me] = await Promise.all([this.queries.leaders(limit), callerId ? this.queries.rankOf(callerId) : null]);
    return { items, me };
  }
}
