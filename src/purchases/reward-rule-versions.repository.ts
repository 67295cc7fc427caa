import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RuleSet } from './reward-rules';

/** A stored version of the reward rules; percents as basis points, like the configuration. */
export interface RuleVersion extends RuleSet {
  version: number;
  maxCommissionPerReferral: number | null;
  effectiveFrom: Date;
  createdBy: string | null;
  createdAt: Date;
  note: string | null;
  withdrawnAt: Date | null;
}

export type NewRuleVersion = RuleSet & { maxCommissionPerReferral: number | null; effectiveFrom: Date | null; createdBy: string | null; note: string | null };

const COLUMNS = `version, referee_bonus, referrer_bonus, commission_percent, second_level_percent, min_purchase_amount,
  commission_window_months, holding_days, max_commission_per_referral, effective_from, created_by, created_at, note, withdrawn_at`;

/** Before every purchase: version 1 applies to whatever was bought before versions existed. */
export const SEED_EFFECTIVE_FROM = new Date('1970-01-01T00:00:00Z');

@Injectable()
export class RewardRuleVersionsRepository {
  /** Version 1 from the configuration, once: concurrent instances starting together insert it at most once. */
  async seed(m: EntityManager, rules: RuleSet): Promise<void> {
    await m.query(
      `INSERT INTO reward_rule_versions (version, referee_bonus, referrer_bonus, commission_percent, second_level_percent, min_purchase_amount,
                                         commission_window_months, holding_days, max_commission_per_referral, effective_from, note)
       SELECT 1, $1, $2, $3::numeric / 100, $4::numeric / 100, $5, $6, $7, NULL, $8, 'Seeded from the REWARD_* configuration'
        WHERE NOT EXISTS (SELECT 1 FROM reward_rule_versions)
       ON CONFLICT (version) DO NOTHING`,
      [rules.refereeBonus, rules.referrerBonus, rules.commissionBasisPoints, rules.secondLevelBasisPoints, rules.minPurchaseAmount,
        rules.commissionWindowMonths, rules.holdingDays, SEED_EFFECTIVE_FROM],
    );
  }

  /** The next version number; two concurrent inserts conflict on the key and the unit of work retries one. */
  async insert(m: EntityManager, v: NewRuleVersion): Promise<RuleVersion> {
    const [row] = await m.query(
      `INSERT INTO reward_rule_versions (version, referee_bonus, referrer_bonus, commission_percent, second_level_percent, min_purchase_amount,
                                         commission_window_months, holding_days, max_commission_per_referral, effective_from, created_by, note)
       SELECT COALESCE(max(version), 0) + 1, $1, $2, $3::numeric / 100, $4::numeric / 100, $5, $6, $7, $8, GREATEST(COALESCE($9::timestamptz, now()), now()), $10, $11
         FROM reward_rule_versions
       RETURNING ${COLUMNS}`,
      [v.refereeBonus, v.referrerBonus, v.commissionBasisPoints, v.secondLevelBasisPoints, v.minPurchaseAmount, v.commissionWindowMonths,
        v.holdingDays, v.maxCommissionPerReferral, v.effectiveFrom, v.createdBy, v.note],
    );
    return toVersion(row);
  }

  async find(m: EntityManager, version: number, lock = false): Promise<RuleVersion | null> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM reward_rule_versions WHERE version = $1 ${lock ? 'FOR UPDATE' : ''}`, [version]);
    return row ? toVersion(row) : null;
  }

  /** The version in force at `at`: the latest effective one not withdrawn (withdrawn ones never took effect). */
  async inForceAt(m: EntityManager, at: Date): Promise<RuleVersion | null> {
    return (await this.inForceAtEach(m, [at]))[0];
  }

  /** `inForceAt` of each moment, in one read, in the order given. */
  async inForceAtEach(m: EntityManager, moments: Date[]): Promise<Array<RuleVersion | null>> {
    const rows: Array<Record<string, unknown>> = await m.query(
      `SELECT d.n, v.* FROM unnest($1::timestamptz[]) WITH ORDINALITY AS d(at, n)
         CROSS JOIN LATERAL (
           SELECT ${COLUMNS} FROM reward_rule_versions WHERE withdrawn_at IS NULL AND effective_from <= d.at
            ORDER BY effective_from DESC, version DESC LIMIT 1
         ) v`,
      [moments],
    );
    const found = new Map(rows.map((r) => [Number(r.n), toVersion(r)]));
    return moments.map((_, i) => found.get(i + 1) ?? null);
  }

  async all(m: EntityManager): Promise<RuleVersion[]> {
    const rows: unknown[] = await m.query(`SELECT ${COLUMNS} FROM reward_rule_versions ORDER BY effective_from, version`);
    return rows.map(toVersion);
  }

  /** Withdraws a version that is not in force yet; false when it took effect meanwhile or was withdrawn. */
  async withdraw(m: EntityManager, version: number): Promise<RuleVersion | null> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [[row]] = (await m.query(
      `UPDATE reward_rule_versions SET withdrawn_at = clock_timestamp()
        WHERE version = $1 AND withdrawn_at IS NULL AND effective_from > clock_timestamp()
       RETURNING ${COLUMNS}`,
      [version],
    )) as [unknown[], number];
    return row ? toVersion(row) : null;
  }

  /**
   * Level-1 commission points the referee's other purchases earned the referrer so far (net of
   * clawbacks, voided ones not counted): what maxCommissionPerReferral leaves room for.
   */
  async commissionSoFar(m: EntityManager, p: { referrerId: string; refereeId: string; exceptPurchaseId: string }): Promise<number> {
    const [row] = await m.query(
      `SELECT COALESCE(sum(a.amount - a.clawed_back), 0)::bigint AS n
         FROM purchase_awards a JOIN purchases pu ON pu.id = a.purchase_id
        WHERE a.user_id = $1 AND pu.user_id = $2 AND a.purchase_id <> $3 AND a.role = 'commission' AND a.level = 1 AND a.state <> 'voided'`,
      [p.referrerId, p.refereeId, p.exceptPurchaseId],
    );
    return Number(row.n);
  }
}

function toVersion(r: any): RuleVersion {
  return {
    version: Number(r.version),
    refereeBonus: Number(r.referee_bonus),
    referrerBonus: Number(r.referrer_bonus),
    commissionBasisPoints: Math.round(Number(r.commission_percent) * 100),
    secondLevelBasisPoints: Math.round(Number(r.second_level_percent) * 100),
    minPurchaseAmount: Number(r.min_purchase_amount),
    commissionWindowMonths: Number(r.commission_window_months),
    holdingDays: Number(r.holding_days),
    maxCommissionPerReferral: r.max_commission_per_referral === null ? null : Number(r.max_commission_per_referral),
    effectiveFrom: new Date(r.effective_from),
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    note: r.note,
    withdrawnAt: r.withdrawn_at ? new Date(r.withdrawn_at) : null,
  };
}
