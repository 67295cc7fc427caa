import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Tx, UnitOfWork } from '../database/unit-of-work';
import { OnJob } from '../jobs/job-catalogue';
import { NotificationsService } from '../notifications/notifications.service';
import { LEVEL_EVALUATION_JOB } from './level-evaluation-jobs';
import { LEVEL_EVALUATION_SCHEDULE, windowStart } from './level-window';
import { LevelMove, LevelWindowRepository } from './level-window.repository';

export interface LevelEvaluation {
  /** Balances re-qualified over the window. */
  evaluated: number;
  lowered: number;
  raised: number;
  /** Balances put back on lifetime qualification (LEVEL_WINDOW_MONTHS turned to 0). */
  reset: number;
}

/** Small units: each is one SERIALIZABLE transaction racing the users' own awards. */
const CHUNK = 100;

/**
 * LEVEL_WINDOW_MONTHS at work: once a day (and in tests, through `run`) every balance is qualified
 * over the window ending at the clock's time. A level below what its qualifying points reach goes up;
 * one above goes down a single tier, with a `level-down` event and notification. A rerun at the same
 * time finds every balance evaluated and moves nobody again.
 */
@Injectable()
export class LevelEvaluationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly windows: LevelWindowRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(LEVEL_EVALUATION_JOB, { schedule: LEVEL_EVALUATION_SCHEDULE })
  async daily(): Promise<void> {
    await this.run();
  }

  async run(): Promise<LevelEvaluation> {
    const result: LevelEvaluation = { evaluated: 0, lowered: 0, raised: 0, reset: 0 };
    const months = this.config.levelWindowMonths;
    if (months === 0) {
      result.reset = await this.uow.within(undefined, (tx) => this.windows.backToLifetime(tx.manager));
      return result;
    }
    const from = windowStart(this.clock.now(), months);
    let after: string | null = null;
    for (;;) {
      const ids = await this.windows.dueForEvaluation(from, after, CHUNK);
      if (ids.length === 0) return result;
      after = ids[ids.length - 1];
      const moves = await this.uow.within(undefined, async (tx) => {
        const moved = await this.windows.evaluate(tx.manager, ids, from);
        for (const move of moved) await this.announce(tx, move, months);
        return moved;
      });
      result.evaluated += ids.length;
      result.raised += moves.filter((m) => m.level > m.previousLevel).length;
      result.lowered += moves.filter((m) => m.level < m.previousLevel).length;
    }
  }

  private async announce(tx: Tx, m: LevelMove, months: number): Promise<void> {
    const { userId, previousLevel, level } = m;
    const levelName = m.levelName ?? `Level ${level}`;
    const up = level > previousLevel;
    tx.record('webhook-event', { type: 'level.changed', data: { userId, previousLevel, level, levelName, direction: up ? 'up' : 'down' } });
    if (up) {
      tx.record('domain-event', { userId, event: 'level-up', payload: { userId, previousLevel, level, levelName } });
      await this.notifications.create({
        tx,
        userId,
        type: 'level-reached',
        title: `${levelName} reached`,
        message: `You reached level ${level} (${levelName}) with ${m.qualifying} points in the last ${months} months.`,
      });
      return;
    }
    tx.record('domain-event', { userId, event: 'level-down', payload: { userId, previousLevel, level, levelName } });
    await this.notifications.create({
      tx,
      userId,
      type: 'level-down',
      title: `Your level is now ${levelName}`,
      message: `With ${Math.max(m.qualifying, 0)} points earned in the last ${months} months, your level went down to ${level} (${levelName}). Earn points to climb back.`,
    });
  }
}
