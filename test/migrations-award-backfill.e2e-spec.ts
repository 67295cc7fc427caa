import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreatePurchaseAwards1763900100010 } from '../migrations/1763900100010-CreatePurchaseAwards';
import { CreateReferralStats1763900100020 } from '../migrations/1763900100020-CreateReferralStats';
import { migrations } from '../src/database/migrations';
import { scratchDatabase } from './utils/scratch-database';

/**
 * The link and counter moves on data written the old way: awards and clawbacks tied to their
 * order by ledger metadata, referral counters on users kept by triggers. Up maps them into
 * purchase_awards / purchase_award_clawbacks / referral_stats; down gives the old shape back.
 */
describe('migrations: purchase_awards and referral_stats backfill', () => {
  const scratch = scratchDatabase('backfill');
  const before = migrations.indexOf(CreatePurchaseAwards1763900100010);
  let db: DataSource;

  beforeAll(async () => {
    await scratch.create();
    db = await scratch.migrated(migrations.slice(0, before));
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch.drop();
  });

  it('maps metadata-linked awards and clawbacks, moves the counters, and reverts to the old shape', async () => {
    const user = async (n: string, extra = '') =>
      (await db.query(`INSERT INTO users (email, name${extra ? ', deleted_at' : ''}) VALUES ($1, $2${extra}) RETURNING id`, [`${n}@example.com`, n]))[0]
        .id as string;
    const [top, referrer, buyer, closed] = [await user('top'), await user('referrer'), await user('buyer'), await user('closed', ', now()')];
    const refer = async (from: string, to: string, status: string) =>
      (await db.query(`INSERT INTO referrals (referrer_id, referee_id, code, status) VALUES ($1, $2, 'C', $3) RETURNING id`, [from, to, status]))[0].id as string;
    const topReferral = await refer(top, referrer, 'flagged');
    await refer(referrer, buyer, 'converted');
    await db.query(`UPDATE users SET total_referrals = 1, last_referral_at = now() - interval '1 day' WHERE id IN ($1, $2)`, [top, referrer]);
    await db.query(`UPDATE users SET converted_referrals = 1, active_referrals = 1 WHERE id = $1`, [referrer]);
    await db.query(`UPDATE users SET total_referrals = 3, last_referral_at = now() WHERE id = $1`, [closed]);
    const purchase = async (amount: number, refunded: number, status: string) =>
      (
        await db.query(
          `INSERT INTO purchases (order_id, user_id, amount, currency, completed_at, status, refunded_amount)
           VALUES ('o-' || gen_random_uuid(), $1, $2, 'USD', now(), $3, $4) RETURNING id, order_id`,
          [buyer, amount, status, refunded],
        )
      )[0] as { id: string; order_id: string };
    const partial = await purchase(10_000, 2_500, 'partially_refunded');
    const full = await purchase(1_000, 1_000, 'refunded');
    const releaseAfter = '2030-01-01T00:00:00.000Z';
    const entry = async (userId: string, type: string, amount: number, status: string, key: string, metadata: object) =>
      (
        await db.query(
          `INSERT INTO point_transactions (user_id, type, amount, source, status, balance_after, metadata, idempotency_key)
           VALUES ($1, $2, $3, 'purchase', $4, 0, $5::jsonb, $6) RETURNING id`,
          [userId, type, amount, status, JSON.stringify(metadata), key],
        )
      )[0].id as string;
    const award = (p: { id: string; order_id: string }, userId: string, role: string, level: number, amount: number, status: string, extra = {}) =>
      entry(userId, 'earn', amount, status, `purchase:${p.id}:${role}:${level}`, {
        purchaseId: p.id, orderId: p.order_id, refereeId: buyer, role, level, ...extra,
      });
    const clawback = (p: { id: string; order_id: string }, userId: string, role: string, level: number, amount: number) =>
      entry(userId, 'clawback', -amount, 'posted', `refund:${p.id}:${role}:${level}:2500`, {
        purchaseId: p.id, orderId: p.order_id, refereeId: buyer, role, level, awardKey: `purchase:${p.id}:${role}:${level}`, refundedAmount: 2_500,
      });
    const bonus = await award(partial, buyer, 'referee', 0, 100, 'posted');
    const referrerBonus = await award(partial, referrer, 'referrer', 1, 100, 'posted');
    const commission = await award(partial, referrer, 'commission', 1, 500, 'posted');
    const held = await award(partial, top, 'commission', 2, 100, 'pending', { heldFor: [topReferral], releaseAfter });
    const voided = await award(full, referrer, 'commission', 1, 50, 'voided');
    const takeCommission = await clawback(partial, referrer, 'commission', 1, 125);
    const takeBonus = await clawback(partial, referrer, 'referrer', 1, 25);
    // Not an award: stays out of purchase_awards.
    await entry(referrer, 'earn', 7, 'posted', 'admin:grant', {});
    const [legacy] = await db.query(`SELECT total_earned::int AS n FROM users WHERE id = $1`, [referrer]);
    expect(legacy.n).toBe(450);

    await db.destroy();
    // Up to this branch's two migrations, so that undoing the last two undoes exactly them.
    db = await scratch.migrated(migrations.slice(0, migrations.indexOf(CreateReferralStats1763900100020) + 1));

    const awards = await db.query(
      `SELECT ledger_entry_id, purchase_id, user_id, role, level, amount::int AS amount, state, held_for, release_after,
              clawed_back::int AS clawed_back, rules_version
         FROM purchase_awards ORDER BY amount, role`,
    );
    const row = (ledgerEntryId: string, purchaseId: string, userId: string, role: string, level: number, amount: number, state: string, more = {}) => ({
      ledger_entry_id: ledgerEntryId, purchase_id: purchaseId, user_id: userId, role, level, amount, state,
      held_for: [], release_after: null, clawed_back: 0, rules_version: null, ...more,
    });
    expect(awards).toEqual([
      row(voided, full.id, referrer, 'commission', 1, 50, 'voided'),
      row(held, partial.id, top, 'commission', 2, 100, 'held', { held_for: [topReferral], release_after: new Date(releaseAfter) }),
      row(bonus, partial.id, buyer, 'referee', 0, 100, 'posted'),
      row(referrerBonus, partial.id, referrer, 'referrer', 1, 100, 'posted', { clawed_back: 25 }),
      row(commission, partial.id, referrer, 'commission', 1, 500, 'posted', { clawed_back: 125 }),
    ]);
    const clawbacks = await db.query(
      `SELECT c.ledger_entry_id, a.ledger_entry_id AS award_entry_id, c.amount::int AS amount, c.refunded_total::int AS refunded_total
         FROM purchase_award_clawbacks c JOIN purchase_awards a ON a.id = c.award_id ORDER BY c.amount`,
    );
    expect(clawbacks).toEqual([
      { ledger_entry_id: takeBonus, award_entry_id: referrerBonus, amount: 25, refunded_total: 2_500 },
      { ledger_entry_id: takeCommission, award_entry_id: commission, amount: 125, refunded_total: 2_500 },
    ]);
    expect(await db.query(`SELECT purchase_id, amount::int AS amount FROM held_awards`)).toEqual([{ purchase_id: partial.id, amount: 100 }]);
    const [earned] = await db.query(`SELECT sum(earned)::int AS n FROM referral_earnings WHERE user_id = $1`, [referrer]);
    expect(earned.n).toBe(450);

    const stats = await db.query(
      `SELECT user_id, total_referrals, active_referrals, converted_referrals, total_earned::int AS total_earned, closed
         FROM referral_stats ORDER BY total_referrals, total_earned`,
    );
    expect(stats).toEqual([
      { user_id: top, total_referrals: 1, active_referrals: 0, converted_referrals: 0, total_earned: 0, closed: false },
      { user_id: referrer, total_referrals: 1, active_referrals: 1, converted_referrals: 1, total_earned: 450, closed: false },
      { user_id: closed, total_referrals: 3, active_referrals: 0, converted_referrals: 0, total_earned: 0, closed: true },
    ]);
    expect(await db.query(`SELECT total_referrals, users::int AS users FROM referral_rank_counts WHERE users > 0`)).toEqual([
      { total_referrals: 1, users: 2 },
    ]);
    const [gone] = await db.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name IN ('total_referrals', 'total_earned')`,
    );
    expect(gone.n).toBe(0);

    await db.undoLastMigration();
    await db.undoLastMigration();
    const users = await db.query(
      `SELECT id, total_referrals, active_referrals, converted_referrals, total_earned::int AS total_earned FROM users
        WHERE id = ANY($1::uuid[]) ORDER BY total_referrals, total_earned`,
      [[top, referrer, closed]],
    );
    expect(users).toEqual([
      { id: top, total_referrals: 1, active_referrals: 0, converted_referrals: 0, total_earned: 0 },
      { id: referrer, total_referrals: 1, active_referrals: 1, converted_referrals: 1, total_earned: 450 },
      { id: closed, total_referrals: 3, active_referrals: 0, converted_referrals: 0, total_earned: 0 },
    ]);
    const [tables] = await db.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('purchase_awards', 'purchase_award_clawbacks', 'referral_stats')`,
    );
    expect(tables.n).toBe(0);
    // The old triggers are back: a closed account leaves the counts, a posted commission counts as earned.
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [top]);
    expect(await db.query(`SELECT total_referrals, users::int AS users FROM referral_rank_counts WHERE users > 0`)).toEqual([
      { total_referrals: 1, users: 1 },
    ]);
    await award(full, referrer, 'referrer', 1, 30, 'posted');
    const [after] = await db.query(`SELECT total_earned::int AS n FROM users WHERE id = $1`, [referrer]);
    expect(after.n).toBe(480);
  }, 60_000);
});
