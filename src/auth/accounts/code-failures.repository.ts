import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type CodePurpose = 'sign-up' | 'password-reset';

/** API.md: an email gets at most 10 wrong codes an hour, across resends and repeated requests. */
export const MAX_CODE_FAILURES_PER_HOUR = 10;

/**
 * A log of wrong codes per (purpose, email), kept apart from the code itself so that neither
 * a resend nor a repeated sign-up resets it. Every method runs in the caller's transaction.
 */
@Injectable()
export class CodeFailuresRepository {
  /** Serialises the code checks of one email until the transaction ends, whether or not a code exists. */
  async lock(manager: EntityManager, purpose: CodePurpose, email: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`code:${purpose}:${email}`]);
  }

  /** Seconds until the email may try a code again; 0 when it has failures to spare this hour. */
  async blockedForSeconds(manager: EntityManager, purpose: CodePurpose, email: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT ceil(extract(epoch FROM failed_at + interval '1 hour' - now()))::int AS seconds
         FROM code_failures
        WHERE purpose = $1 AND email = $2 AND failed_at > now() - interval '1 hour'
        ORDER BY failed_at DESC OFFSET $3 - 1 LIMIT 1`,
      [purpose, email, MAX_CODE_FAILURES_PER_HOUR],
    )) as Array<{ seconds: number }>;
    return row ? Math.max(1, row.seconds) : 0;
  }

  async record(manager: EntityManager, purpose: CodePurpose, email: string): Promise<void> {
    await manager.query(`INSERT INTO code_failures (purpose, email) VALUES ($1, $2)`, [purpose, email]);
  }

  /** Failures older than the hour no longer count. */
  async deleteStale(manager: EntityManager): Promise<number> {
    const [, count] = await manager.query(`DELETE FROM code_failures WHERE failed_at < now() - interval '1 hour'`);
    return Number(count ?? 0);
  }
}
