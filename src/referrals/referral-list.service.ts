import { Injectable } from '@nestjs/common';
import { maskEmail } from '../users/email-canonical';
import { ListReferralsQueryDto } from './dto/list-referrals-query.dto';
import { ReferralListDto } from './dto/referral-list.dto';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { RefereeReferral, ReferralListRepository, ReferralStats } from './referral-list.repository';
import { ReferralsErrorCode, ReferralsException } from './referrals.exception';

@Injectable()
export class ReferralListService {
  constructor(private readonly repository: ReferralListRepository) {}

  async list(userId: string, query: ListReferralsQueryDto): Promise<ReferralListDto> {
    const { limit, after } = pageRequest(query);
    const stats = await this.repository.stats(userId);
    if (!stats) throw new ReferralsException(ReferralsErrorCode.USER_NOT_FOUND, 'This account no longer exists');
    const rows = await this.repository.page(userId, { depth: query.depth ?? 1, limit: limit + 1, after });
    const cursorOf = (r: (typeof rows)[number]) => ({ createdAt: r.cursorAt, id: r.id });
    return {
      ...toPage(rows, limit, cursorOf, (r) => ({
        id: r.id,
        name: r.name,
        email: maskEmail(r.email),
        status: r.status,
        level: r.level,
        joinedAt: r.joinedAt.toISOString(),
        convertedAt: r.convertedAt?.toISOString() ?? null,
        pointsEarned: r.pointsEarned,
      })),
      stats,
    };
  }

  /** The referral counters of each of these active users. */
  statsOf(userIds: string[]): Promise<Map<string, ReferralStats>> {
    return this.repository.statsOf(userIds);
  }

  /** How each of these users was referred (rejected referrals included), keyed by the referee. */
  referralsOfReferees(refereeIds: string[]): Promise<Map<string, RefereeReferral>> {
    return this.repository.referralsOfReferees(refereeIds);
  }
}
