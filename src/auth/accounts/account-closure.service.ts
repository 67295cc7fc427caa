import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RealtimeService } from '../../notifications/realtime.service';
import { UsersService } from '../../users/users.service';
import { AuthErrorCode, AuthException } from '../core/auth.exception';
import { SessionValidator } from '../core/session-validator';
import { ReferralStatsService } from '../../referrals/referral-stats.service';

/** DELETE /api/auth/me: the account is closed for good; what it earned stays in the ledger. */
@Injectable()
export class AccountClosureService {
  constructor(
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly sessions: SessionValidator,
    private readonly realtime: RealtimeService,
    private readonly referralStats: ReferralStatsService,
  ) {}

  async close(userId: string): Promise<void> {
    const closed = await this.db.transaction(async (manager) => {
      const done = await this.users.close(manager, userId);
      if (done) await this.referralStats.closeAccount(manager, userId);
      return done;
    });
    // Revoked here at once; other instances see it within the session cache's lifetime.
    this.sessions.invalidate(userId);
    this.realtime.disconnectUser(userId);
    if (!closed) throw new AuthException(AuthErrorCode.UNAUTHORIZED, 'This account no longer exists');
  }
}
