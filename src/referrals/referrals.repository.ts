import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface LockedReferrer {
  id: string;
  email: string;
  signupIp: string | null;
  signupDeviceId: string | null;
  deleted: boolean;
}

export interface ReferralClick {
  referrerId: string;
  code: string;
  ipHash: string | null;
  deviceId: string | null;
  at: Date;
}


@Injectable()
export class ReferralsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The live (not deleted) owner of a code. */
  async findOwnerOfCode(code: string): Promise<string | undefined> {
    const [row] = await this.db.query(`SELECT id FROM users WHERE referral_code = $1 AND deleted_at IS NULL`, [code]);
    return row?.id;
  }

  /** Locks the code's owner, deleted or not, so concurrent sign-ups for one referrer are judged one at a time. */
  async lockReferrerByCode(manager: EntityManager, code: string): Promise<LockedReferrer | undefined> {
    const [row] = await manager.query(
      `SELECT id, email, signup_ip, signup_device_id, deleted_at IS NOT NULL AS deleted
         FROM users WHERE referral_code = $1 FOR UPDATE`,
      [code],
    );
    if (!row) return undefined;
    return { id: row.id, email: row.email, signupIp: row.signup_ip, signupDeviceId: row.signup_device_id, deleted: row.deleted };
  }

  async insertReferral(
    manager: EntityManager,
    r: { referrerId: string; refereeId: string; code: string; status: string; reasons: string[] },
  ): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO referrals (referrer_id, referee_id, code, status, reasons) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id`,
      [r.referrerId, r.refereeId, r.code, r.status, JSON.stringify(r.reasons)],
    );
    return row.id;
  }

  /**
   * Counts a referee the users module has just linked to this referrer; the referrer's new total.
   * active_referrals is not touched: it counts referees with a recent purchase (ReferralConversionService).
   */
  async countReferral(manager: EntityManager, referrerId: string): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO referral_stats AS s (user_id, total_referrals, last_referral_at) VALUES ($1, 1, now())
       ON CONFLICT (user_id) DO UPDATE SET total_referrals = s.total_referrals + 1, last_referral_at = now(), updated_at = now()
       RETURNING s.total_referrals`,
      [referrerId],
    );
    return row.total_referrals;
  }

  /** One multi-row INSERT for a batch of clicks. */
  async insertClicks(clicks: ReferralClick[]): Promise<void> {
    if (clicks.length === 0) return;
    await this.db.query(
      `INSERT INTO referral_clicks (referrer_id, code, ip_hash, device_id, created_at)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::char(64)[], $4::varchar[], $5::timestamptz[])`,
      [
        clicks.map((c) => c.referrerId),
        clicks.map((c) => c.code),
        clicks.map((c) => c.ipHash),
        clicks.map((c) => c.deviceId),
        clicks.map((c) => c.at.toISOString()),
      ],
    );
  }
}
