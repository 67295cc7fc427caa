import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of the reward rules, append-only: a purchase is rewarded under the version in force at
 * its completedAt, so a version that may have rewarded anything must never change. The one
 * change allowed is withdrawing a version that has not taken effect yet (withdrawn_at), checked
 * against the clock at the moment of the update. Version 1 is seeded from REWARD_* at start-up.
 */
export class CreateRewardRuleVersions1763900500000 implements MigrationInterface {
  name = 'CreateRewardRuleVersions1763900500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE reward_rule_versions (
        version integer PRIMARY KEY CHECK (version > 0),
        referee_bonus integer NOT NULL CHECK (referee_bonus BETWEEN 0 AND 1000000),
        referrer_bonus integer NOT NULL CHECK (referrer_bonus BETWEEN 0 AND 1000000),
        commission_percent numeric(5, 2) NOT NULL CHECK (commission_percent BETWEEN 0 AND 100),
        second_level_percent numeric(5, 2) NOT NULL CHECK (second_level_percent BETWEEN 0 AND 100),
        min_purchase_amount bigint NOT NULL CHECK (min_purchase_amount >= 0),
        commission_window_months integer NOT NULL CHECK (commission_window_months >= 0),
        holding_days integer NOT NULL CHECK (holding_days >= 0),
        max_commission_per_referral bigint CHECK (max_commission_per_referral >= 0),
        effective_from timestamptz NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        note varchar(500),
        withdrawn_at timestamptz
      )`);
    await db.query(`CREATE INDEX reward_rule_versions_effective_idx ON reward_rule_versions (effective_from DESC, version DESC) WHERE withdrawn_at IS NULL`);
    await db.query(`
      CREATE FUNCTION reward_rule_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL AND OLD.effective_from > clock_timestamp()
           AND (to_jsonb(NEW) - 'withdrawn_at') = (to_jsonb(OLD) - 'withdrawn_at') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'reward_rule_versions is append-only: only a version not yet in force can be withdrawn'
          USING ERRCODE = 'check_violation';
      END $$`);
    await db.query(`
      CREATE TRIGGER reward_rule_versions_append_only BEFORE UPDATE OR DELETE ON reward_rule_versions
      FOR EACH ROW EXECUTE FUNCTION reward_rule_versions_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE reward_rule_versions`);
    await db.query(`DROP FUNCTION reward_rule_versions_append_only()`);
  }
}
