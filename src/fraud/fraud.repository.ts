import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

@Injectable()
export class FraudRepository {
  /** Attributed referees of a referrer created in the last hour (rejected ones never counted). */
  async countRecentReferees(manager: EntityManager, referrerId: string): Promise<number> {
    const [row] = await manager.query(
      `SELECT count(*)::int AS n FROM referrals
        WHERE referrer_id = $1 AND status <> 'rejected' AND created_at > now() - interval '1 hour'`,
      [referrerId],
    );
    return row.n;
  }
}
