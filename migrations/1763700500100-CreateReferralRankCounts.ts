import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many active users have each referral count above zero, kept by a trigger on users. The
 * leaderboard's `me` rank sums the few counts above the caller's instead of counting every user
 * ahead (a scan of up to all referrers at a million users). Rows are touched in ascending order
 * so that two changes never wait on each other in opposite orders.
 */
export class CreateReferralRankCounts1763700500100 implements MigrationInterface {
  name = 'CreateReferralRankCounts1763700500100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE referral_rank_counts (
        total_referrals integer PRIMARY KEY CHECK (total_referrals > 0),
        users bigint NOT NULL CHECK (users >= 0)
      )`);
    await db.query(`
      CREATE FUNCTION users_follow_referral_rank_counts() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_count integer := 0;
        new_count integer := 0;
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL THEN old_count := OLD.total_referrals; END IF;
        IF TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL THEN new_count := NEW.total_referrals; END IF;
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
      END $$`);
    await db.query(`
      CREATE TRIGGER users_referral_rank_counts AFTER INSERT OR DELETE OR UPDATE OF total_referrals, deleted_at ON users
      FOR EACH ROW EXECUTE FUNCTION users_follow_referral_rank_counts()`);
    await db.query(`
      INSERT INTO referral_rank_counts (total_referrals, users)
      SELECT total_referrals, count(*) FROM users WHERE deleted_at IS NULL AND total_referrals > 0 GROUP BY total_referrals`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_referral_rank_counts ON users`);
    await db.query(`DROP FUNCTION users_follow_referral_rank_counts()`);
    await db.query(`DROP TABLE referral_rank_counts`);
  }
}
