import { Injectable } from '@nestjs/common';
import { maskEmail } from '../users/email-canonical';
import { ListReferralsQueryDto } from './dto/list-referrals-query.dto';
import { ReferralListDto } from './dto/referral-list.dto';
import { decodeCursor, encodeCursor } from '../common/pagination/list-cursor';
import { ReferralListRepository } from './referral-list.repository';
import { ReferralsErrorCode, ReferralsException } from './referrals.exception';

@Injectable()
export class ReferralListService {
  constructor(private readonly repository: ReferralListRepository) {}

  async list(userId: string, query: ListReferralsQueryDto): Promise<ReferralListDto> {
    const limit = query.limit ?? 20;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const stats = await this.repository.stats(userId);
    if (!stats) throw new ReferralsException(ReferralsErrorCode.USER_NOT_FOUND, 'This account no longer exists');
    const rows = await this.repository.page(userId, { depth: query.depth ?? 1, limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        name: r.name,
        email: maskEmail(r.email),
        status: r.status,
        level: r.level,
        joinedAt: r.joinedAt.toISOString(),
        convertedAt: r.convertedAt?.toISOString() ?? null,
        pointsEarned: r.pointsEarned,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null,
      stats,
    };
  }
}
