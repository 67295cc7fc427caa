import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CODE_TTL_MINUTES } from './verification-codes';

export interface LockedPasswordReset {
  userId: string;
  codeHash: string;
  attempts: number;
  expired: boolean;
}

/** SQL over `password_resets` (one live code per open account); every method runs in the caller's transaction. */
@Injectable()
export class PasswordResetsRepository {
  /**
   * Issues a new code for the open account with this email, in one statement whether or not
   * there is one (the answer must not tell); its name when there is one, to address the mail.
   */
  async issue(manager: EntityManager, email: string, codeHash: string): Promise<string | undefined> {
    const rows: Array<{ name: string }> = await manager.query(
      `WITH account AS (
         SELECT id, name FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL
       ), issued AS (
         INSERT INTO password_resets (user_id, code_hash, attempts, expires_at)
         SELECT id, $2, 0, now() + make_interval(mins => $3) FROM account
         ON CONFLICT (user_id) DO UPDATE SET
           code_hash = EXCLUDED.code_hash, attempts = 0, expires_at = EXCLUDED.expires_at, updated_at = now()
         RETURNING user_id
       )
       SELECT account.name FROM account JOIN issued ON issued.user_id = account.id`,
      [email, codeHash, CODE_TTL_MINUTES],
    );
    return rows[0]?.name;
  }

  /** The open account's reset code, locked so that concurrent resets of one email run one after another. */
  async lockByEmail(manager: EntityManager, email: string): Promise<LockedPasswordReset | undefined> {
    const rows: LockedPasswordReset[] = await manager.query(
      `SELECT r.user_id AS "userId", r.code_hash AS "codeHash", r.attempts, r.expires_at <= now() AS expired
         FROM password_resets r JOIN users u ON u.id = r.user_id
        WHERE lower(u.email) = lower($1) AND u.deleted_at IS NULL
        FOR UPDATE OF r`,
      [email],
    );
    return rows[0];
  }

  async countFailedAttempt(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE password_resets SET attempts = attempts + 1, updated_at = now() WHERE user_id = $1`, [userId]);
  }

  async delete(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM password_resets WHERE user_id = $1`, [userId]);
  }

  /** Codes that expired over a day ago. */
  async deleteStale(manager: EntityManager): Promise<number> {
    const [, count] = await manager.query(`DELETE FROM password_resets WHERE expires_at < now() - interval '1 day'`);
    return Number(count ?? 0);
  }
}
