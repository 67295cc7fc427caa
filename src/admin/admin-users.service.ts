import { Injectable } from '@nestjs/common';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { isUuid } from '../common/uuid';
import { ListTransactionsQueryDto } from '../points/dto/list-transactions-query.dto';
import { PointTransactionPageDto } from '../points/dto/point-transaction.dto';
import { PointsQueriesService } from '../points/points-queries.service';
import { ReferralListService } from '../referrals/referral-list.service';
import { UsersService } from '../users/users.service';
import { AdminErrorCode, AdminException } from './admin.exception';
import { AdminUserDetailDto, AdminUserDto, AdminUserPageDto } from './dto/admin-user.dto';
import { AdminUsersQueryDto } from './dto/admin-users-query.dto';

interface UserBasics {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
}

type Party = { id: string; name: string; email: string };

/** The admin console's user look-up, composed from the users, points and referrals modules' readers. */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly points: PointsQueriesService,
    private readonly referrals: ReferralListService,
  ) {}

  async search(query: AdminUsersQueryDto): Promise<AdminUserPageDto> {
    const { limit, after } = pageRequest(query);
    const text = query.query?.trim();
    const rows = await this.users.search({ emailPrefix: text, id: isUuid(text) ? text : undefined, limit: limit + 1, after });
    const { views } = await this.describe(rows.slice(0, limit));
    return toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), (r) => views.get(r.id)!);
  }

  /** 404 USER_NOT_FOUND for an unknown, closed or malformed id. */
  async detail(id: string): Promise<AdminUserDetailDto> {
    const user = await this.find(id);
    const { views, referrals, parties } = await this.describe([user]);
    const referral = referrals.get(user.id);
    return {
      ...views.get(user.id)!,
      referral: referral
        ? { status: referral.status, reasons: referral.reasons, referrer: parties.get(referral.referrerId) ?? missingParty(referral.referrerId) }
        : null,
    };
  }

  async transactions(id: string, query: ListTransactionsQueryDto): Promise<PointTransactionPageDto> {
    const user = await this.find(id);
    return this.points.transactions(user.id, query);
  }

  private async find(id: string): Promise<UserBasics> {
    const user = isUuid(id) ? await this.users.findById(id) : null;
    if (!user) throw new AdminException(AdminErrorCode.USER_NOT_FOUND, 'No active user has this id');
    return user;
  }

  private async describe(users: UserBasics[]) {
    const ids = users.map((u) => u.id);
    const [balances, stats, referrals] = await Promise.all([
      this.points.balancesOf(ids),
      this.referrals.statsOf(ids),
      this.referrals.referralsOfReferees(ids),
    ]);
    const referrerIds = [...new Set([...referrals.values()].map((r) => r.referrerId))];
    const parties = new Map<string, Party>(
      (await this.users.findManyByIds(referrerIds)).map((u) => [u.id, { id: u.id, name: u.name, email: u.email }]),
    );
    const views = new Map<string, AdminUserDto>();
    for (const u of users) {
      const b = balances.get(u.id);
      const referral = referrals.get(u.id);
      views.set(u.id, {
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        createdAt: u.createdAt.toISOString(),
        points: { total: b?.total ?? 0, available: b?.available ?? 0, pending: b?.pending ?? 0, debt: b?.debt ?? 0, level: b?.level ?? 1 },
        referralStats: stats.get(u.id) ?? { totalReferrals: 0, activeReferrals: 0, convertedReferrals: 0, totalEarned: 0 },
        referredBy:
          referral && referral.status !== 'rejected' ? (parties.get(referral.referrerId) ?? missingParty(referral.referrerId)) : null,
        flagged: referral?.status === 'flagged',
      });
    }
    return { views, referrals, parties };
  }
}

function missingParty(id: string): Party {
  return { id, name: '', email: '' };
}
