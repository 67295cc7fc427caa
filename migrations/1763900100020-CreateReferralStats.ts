import { MigrationInterface, QueryRunner } from 'typeorm';

const USERS_STATS = `total_referrals, active_referrals, converted_referrals, total_earned, last_referral_at`;

/** The rank-counts trigger, on whichever table holds the counters: ranked are rows with referrals of open accounts. */
const rankCountsFunction = (name: string, open: (row: string) => string) => `
  CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    old_count integer := 0;
    new_count integer := 0;
  BEGIN
    IF TG_OP <> 'INSERT' AND ${open('OLD')} THEN old_count := OLD.total_referrals; END IF;
    IF TG_OP <> 'DELETE' AND ${open('NEW')} THEN new_count := NEW.total_referrals; END IF;
    IF old_count = new_count THEN RETURN NULL; END IF;
    IF new_count > 0 AND new_count < old_count THEN
      INSERT INTO referral_rank_counts VALUES (new_count, 1)
        ON CONFLICT (total_referrals) DO UPDATE SET users = referral_rank_counts.users + 1;
    END IF;
    IF old_count > 0 THEN
      UPDATE referral_rank_counts SET users = users - 1 WHERE total_referrals = old_count;
    END IF;
    IF new_count > 0 AND new_count > old_count THEN
      INSERT INTO referral_rank_counts VALUES (new_count, 1)
        ON CONFLICT (total_referrals) DO UPDATE SET users = referral_rank_counts.users + 1;
    END IF;
    RETURN NULL;
  END $$`;

/**
 * The referral counters move off users into referral_stats, owned (with referral_rank_counts and
 * its trigger) by the referrals module. A row exists once a user has anything to count; `closed`
 * mirrors users.deleted_at (set by account closure through the referrals service) so that closed
 * accounts leave the rank counts and the leaderboard without referrals reading users for it.
 * total_earned is no longer kept by a trigger on the ledger's metadata: the purchases module adds
 * to it in the transaction that posts, releases or claws back a bonus or commission.
 */
export class CreateReferralStats1763900100020 implements MigrationInterface {
  name = 'CreateReferralStats1763900100020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`SET LOCAL lock_timeout = '5s'`);
    await db.query(`
      CREATE TABLE referral_stats (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        total_referrals integer NOT NULL DEFAULT 0 CHECK (total_referrals >= 0),
        active_referrals integer NOT NULL DEFAULT 0 CHECK (active_referrals >= 0),
        converted_referrals integer NOT NULL DEFAULT 0 CHECK (converted_referrals >= 0),
        total_earned bigint NOT NULL DEFAULT 0,
        last_referral_at timestamptz,
        closed boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE INDEX referral_stats_leaderboard_idx ON referral_stats (total_referrals DESC, last_referral_at ASC, user_id ASC)
      WHERE NOT closed`);
    await db.query(`
      INSERT INTO referral_stats (user_id, ${USERS_STATS}, closed)
      SELECT id, ${USERS_STATS}, deleted_at IS NOT NULL FROM users
       WHERE total_referrals > 0 OR active_referrals > 0 OR converted_referrals > 0 OR total_earned <> 0
          OR last_referral_at IS NOT NULL`);

    await db.query(`DROP TRIGGER point_transactions_total_earned ON point_transactions`);
    await db.query(`DROP FUNCTION users_follow_total_earned()`);
    await db.query(`DROP TRIGGER users_referral_rank_counts ON users`);
    await db.query(`DROP FUNCTION users_follow_referral_rank_counts()`);
    await db.query(rankCountsFunction('referral_stats_follow_rank_counts', (row) => `NOT ${row}.closed`));
    await db.query(`
      CREATE TRIGGER referral_stats_rank_counts AFTER INSERT OR DELETE OR UPDATE OF total_referrals, closed ON referral_stats
      FOR EACH ROW EXECUTE FUNCTION referral_stats_follow_rank_counts()`);
    // Same rows as before: rebuilt so that the table and its new source agree from the start.
    await db.query(`DELETE FROM referral_rank_counts`);
    await db.query(`
      INSERT INTO referral_rank_counts (total_referrals, users)
      SELECT total_referrals, count(*) FROM referral_stats WHERE NOT closed AND total_referrals > 0 GROUP BY total_referrals`);

    await db.query(`DROP INDEX users_leaderboard_idx`);
    await db.query(`
      ALTER TABLE users DROP COLUMN total_referrals, DROP COLUMN active_referrals, DROP COLUMN converted_referrals,
                        DROP COLUMN total_earned, DROP COLUMN last_referral_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE users
        ADD COLUMN total_referrals integer NOT NULL DEFAULT 0 CHECK (total_referrals >= 0),
        ADD COLUMN active_referrals integer NOT NULL DEFAULT 0 CHECK (active_referrals >= 0),
        ADD COLUMN converted_referrals integer NOT NULL DEFAULT 0 CHECK (converted_referrals >= 0),
        ADD COLUMN total_earned bigint NOT NULL DEFAULT 0,
        ADD COLUMN last_referral_at timestamptz`);
    await db.query(`
      UPDATE users u SET total_referrals = s.total_referrals, active_referrals = s.active_referrals,
             converted_referrals = s.converted_referrals, total_earned = s.total_earned, last_referral_at = s.last_referral_at
        FROM referral_stats s WHERE s.user_id = u.id`);
    await db.query(
      `CREATE INDEX users_leaderboard_idx ON users (total_referrals DESC, last_referral_at ASC, id ASC) WHERE deleted_at IS NULL`,
    );

    await db.query(`DROP TRIGGER referral_stats_rank_counts ON referral_stats`);
    await db.query(`DROP FUNCTION referral_stats_follow_rank_counts()`);
    await db.query(rankCountsFunction('users_follow_referral_rank_counts', (row) => `${row}.deleted_at IS NULL`));
    await db.query(`
      CREATE TRIGGER users_referral_rank_counts AFTER INSERT OR DELETE OR UPDATE OF total_referrals, deleted_at ON users
      FOR EACH ROW EXECUTE FUNCTION users_follow_referral_rank_counts()`);
    await db.query(`DELETE FROM referral_rank_counts`);
    await db.query(`
      INSERT INTO referral_rank_counts (total_referrals, users)
      SELECT total_referrals, count(*) FROM users WHERE deleted_at IS NULL AND total_referrals > 0 GROUP BY total_referrals`);

    await db.query(`
      CREATE FUNCTION users_follow_total_earned() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        delta bigint := 0;
      BEGIN
        IF NOT (NEW.metadata ? 'purchaseId' AND NEW.metadata->>'role' IN ('referrer', 'commission')) THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'INSERT' THEN
          IF NEW.status = 'posted' THEN delta := NEW.amount; END IF;
        ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
          IF NEW.status = 'posted' THEN delta := NEW.amount;
          ELSIF OLD.status = 'posted' THEN delta := -NEW.amount;
          END IF;
        END IF;
        IF delta <> 0 THEN
          UPDATE users SET total_earned = total_earned + delta WHERE id = NEW.user_id;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER point_transactions_total_earned AFTER INSERT OR UPDATE OF status ON point_transactions
      FOR EACH ROW EXECUTE FUNCTION users_follow_total_earned()`);
    await db.query(`DROP TABLE referral_stats`);
  }
}
