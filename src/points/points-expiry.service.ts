import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { OnJob } from '../jobs/job-catalogue';
import { MailService } from '../mail/mail.service';
import { NotificationsService } from '../notifications/notifications.service';
import { POINTS_EXPIRY_JOB } from './points-expiry-jobs';
import { DueReminder, PointsLedgerRepository } from './points-ledger.repository';
import { PointsQueryRepository } from './points-query.repository';
import { PointsService } from './points.service';

export interface ExpiryRun {
  /** Lots opened while expiry was off that got their expiry date in this run. */
  dated: number;
  /** Users who got an 'expire' entry. */
  expired: number;
  /** Reminder notifications written. */
  reminded: number;
}

/**
 * POINTS_EXPIRY_DAYS at work: the daily job (and tests, through `run`) at the clock's time. Each
 * user's expiry and reminders are their own unit of work, so a retried job redoes only what is
 * left: an expired lot is empty, a reminded lot has reminded_at.
 */
@Injectable()
export class PointsExpiryService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: PointsLedgerRepository,
    private readonly queries: PointsQueryRepository,
    private readonly points: PointsService,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(POINTS_EXPIRY_JOB, { schedule: '30 0 * * *' })
  async daily(): Promise<void> {
    await this.run();
  }

  async run(): Promise<ExpiryRun> {
    const { days, reminderDays } = this.config.pointsExpiry;
    const result: ExpiryRun = { dated: 0, expired: 0, reminded: 0 };
    if (days === 0) return result;
    const now = this.clock.now();
    // Expiry was just turned on (0 → N): what was earned before expires N days from now, not in the past.
    result.dated = await this.uow.within(undefined, (tx) => this.ledger.dateOpenLots(tx.manager, now, days));
    for (const userId of await this.queries.usersWithDueLots(now)) {
      if (await this.points.expireDue({ userId, at: now })) result.expired++;
    }
    if (reminderDays > 0) {
      for (const userId of await this.queries.usersToRemind(now, reminderDays)) {
        result.reminded += await this.remind(userId, now, reminderDays);
      }
    }
    return result;
  }

  /** One notification (and mail, to an open account) per expiry day of the user's lots not yet reminded; a lot is reminded once. */
  private remind(userId: string, now: Date, reminderDays: number): Promise<number> {
    return this.uow.within(
      undefined,
      async (tx) => {
        const lots = await this.ledger.markReminded(tx.manager, userId, now, reminderDays);
        const address = lots.length > 0 ? await this.queries.mailingAddress(userId) : null;
        const byDay = new Map<string, DueReminder[]>();
        for (const lot of lots) {
          const day = lot.expiresAt.toISOString().slice(0, 10);
          byDay.set(day, [...(byDay.get(day) ?? []), lot]);
        }
        for (const [day, dayLots] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
          const amount = dayLots.reduce((sum, l) => sum + l.amount, 0);
          await this.notifications.create({
            tx,
            userId,
            type: 'points-expiring',
            title: `${amount} points expire on ${day}`,
            message: `${amount} of your points expire on ${day} (UTC). Spend them before then.`,
          });
          if (address) await this.mail.enqueuePointsExpiring(tx, { to: address.email, name: address.name, amount, day });
        }
        return byDay.size;
      },
      { contentionKey: userId },
    );
  }
}
