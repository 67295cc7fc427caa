import { Injectable } from '@nestjs/common';
import { CommonErrorCode, CommonException } from '../common/errors/common.exception';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsQueryDto } from './dto/analytics-query.dto';
import { AnalyticsDto } from './dto/analytics.dto';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

@Injectable()
export class AnalyticsService {
  constructor(private readonly repository: AnalyticsRepository) {}

  /** The referral funnel over [from, to): 400 VALIDATION_FAILED for from > to or a range over 366 days. */
  async report(query: AnalyticsQueryDto, now = new Date()): Promise<AnalyticsDto> {
    const to = query.to ? new Date(query.to) : now;
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (from > to) throw new CommonException(CommonErrorCode.VALIDATION_FAILED, 'from must not be after to');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw new CommonException(CommonErrorCode.VALIDATION_FAILED, `The range may span at most ${MAX_RANGE_DAYS} days`);
    }
    const row = await this.repository.aggregate(from, to);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      clicks: row.clicks,
      signups: row.signups,
      referredSignups: row.referredSignups,
      convertedReferrals: row.convertedReferrals,
      conversionRate: row.referredSignups === 0 ? 0 : row.convertedReferrals / row.referredSignups,
      pointsAwarded: row.pointsAwarded,
      pointsRedeemed: row.pointsRedeemed,
      flaggedReferrals: row.flaggedReferrals,
      byDay: row.byDay.map((d) => ({
        date: d.date,
        clicks: Number(d.clicks),
        signups: Number(d.signups),
        referredSignups: Number(d.referredSignups),
        convertedReferrals: Number(d.convertedReferrals),
        pointsAwarded: Number(d.pointsAwarded),
        pointsRedeemed: Number(d.pointsRedeemed),
      })),
    };
  }
}
