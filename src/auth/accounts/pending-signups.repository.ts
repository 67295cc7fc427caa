import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CODE_TTL_MINUTES } from './verification-codes';

export interface PendingSignupInput {
  email: string;
  name: string;
  passwordHash: string;
  codeHash: string;
  referralCode: string | null;
  signupIp: string | null;
  signupDeviceId: string | null;
  /** A repeat whose password differs from the pending one's (see ContestedSignups). */
  contests: boolean;
}

export interface LockedPendingSignup {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  codeHash: string;
  attempts: number;
  expired: boolean;
  referralCode: string | null;
  signupIp: string | null;
  signupDeviceId: string | null;
  contested: boolean;
}

/** SQL over `pending_signups`; every method runs in the caller's transaction. Expiry uses the database clock. */
@Injectable()
export class PendingSignupsRepository {
  /**
   * One row per email, atomically under concurrency. A repeat sign-up never changes what is
   * pending (password, name, referral code, signals): it only issues a new code for the first
   * one (API.md). The pending row's name, to address the mail.
   */
  async createOrReissue(manager: EntityManager, row: PendingSignupInput): Promise<string> {
    const [pending] = (await manager.query(
      `INSERT INTO pending_signups (email, name, password_hash, code_hash, attempts, expires_at, referral_code, signup_ip, signup_device_id)
       VALUES ($1, $2, $3, $4, 0, now() + make_interval(mins => $5), $6, $7, $8)
       ON CONFLICT (email) DO UPDATE SET
         code_hash = EXCLUDED.code_hash, attempts = 0, expires_at = EXCLUDED.expires_at, updated_at = now(),
         contested = pending_signups.contested OR $9
       RETURNING name`,
      [row.email, row.name, row.passwordHash, row.codeHash, CODE_TTL_MINUTES, row.referralCode, row.signupIp, row.signupDeviceId, row.contests],
    )) as Array<{ name: string }>;
    return pending.name;
  }

  /** Issues a new code for a pending email; its name when there is one (to address the mail), else undefined. */
  async replaceCode(manager: EntityManager, email: string, codeHash: string): Promise<string | undefined> {
    const [rows] = (await manager.query(
      `UPDATE pending_signups SET code_hash = $2, attempts = 0, expires_at = now() + make_interval(mins => $3), updated_at = now()
       WHERE email = $1 RETURNING name`,
      [email, codeHash, CODE_TTL_MINUTES],
    )) as [Array<{ name: string }>, number];
    return rows[0]?.name;
  }

  /** Locks the pending row, so concurrent verifications of one email run one after another. */
  async lockByEmail(manager: EntityManager, email: string): Promise<LockedPendingSignup | undefined> {
    const rows: LockedPendingSignup[] = await manager.query(
      `SELECT id, email, name, password_hash AS "passwordHash", code_hash AS "codeHash", attempts,
              expires_at <= now() AS expired, referral_code AS "referralCode",
              signup_ip AS "signupIp", signup_device_id AS "signupDeviceId", contested
       FROM pending_signups WHERE email = $1 FOR UPDATE`,
      [email],
    );
    return rows[0];
  }

  /** The password hash of the email's pending sign-up, if there is one. */
  async pendingPasswordHash(manager: EntityManager, email: string): Promise<string | undefined> {
    const rows: Array<{ hash: string }> = await manager.query(`SELECT password_hash AS hash FROM pending_signups WHERE email = $1`, [email]);
    return rows[0]?.hash;
  }

  async countFailedAttempt(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE pending_signups SET attempts = attempts + 1, updated_at = now() WHERE id = $1`, [id]);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`DELETE FROM pending_signups WHERE id = $1`, [id]);
  }

  async deleteByEmail(manager: EntityManager, email: string): Promise<void> {
    await manager.query(`DELETE FROM pending_signups WHERE email = $1`, [email]);
  }

  /** Pending sign-ups whose code expired over a day ago: nobody can finish them any more. */
  async deleteStale(manager: EntityManager): Promise<number> {
    const [, count] = await manager.query(`DELETE FROM pending_signups WHERE expires_at < now() - interval '1 day'`);
    return Number(count ?? 0);
  }
}
