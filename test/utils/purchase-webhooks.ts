import { INestApplication } from '@nestjs/common';
import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { ReferralReviewService } from '../../src/admin/referral-review.service';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { PURCHASE_RELEASE_JOB } from '../../src/purchases/purchase-jobs';
import { ReferralsService } from '../../src/referrals/referrals.service';
import { signWebhookBody } from '../../src/purchases/webhook-signature.guard';
import { createTestUser, TestUser } from './test-users';
import { until } from './wait';

export function sign(body: string, secret = process.env.PURCHASE_WEBHOOK_SECRET!): string {
  return signWebhookBody(secret, body);
}

/** POSTs the exact JSON text it signs. */
export function signedPost(http: TestAgent, path: string, body: unknown, signature?: string) {
  const text = JSON.stringify(body);
  return http
    .post(path)
    .set('Content-Type', 'application/json')
    .set('X-Signature', signature ?? sign(text))
    .send(text);
}

export type ReferralState = 'pending' | 'flagged' | 'rejected';

/**
 * Attributes `referee` to `referrer` through the service sign-up uses (ReferralsService.attributeSignup,
 * with the real fraud rules): `flagged` by signing up from the referrer's IP, `rejected` by an
 * admin rejecting that flagged referral; a `pending` one the rules flag (velocity) is approved by
 * an admin, as it would be in the console. The referral's id.
 */
export async function refer(app: INestApplication, referrer: TestUser, referee: TestUser, status: ReferralState = 'pending'): Promise<string> {
  const db = app.get(DataSource);
  const uow = app.get(UnitOfWork);
  const referrals = app.get(ReferralsService);
  const [owner] = await db.query(`SELECT referral_code, signup_ip FROM users WHERE id = $1`, [referrer.id]);
  const code = owner.referral_code ?? (await referrals.generateCode(referrer.id)).code;
  let ip: string | null = null;
  if (status !== 'pending') {
    ip = owner.signup_ip ?? '198.51.100.7';
    if (!owner.signup_ip) await db.query(`UPDATE users SET signup_ip = $2 WHERE id = $1`, [referrer.id, ip]);
  }
  const { referral } = await uow.run((tx) =>
    referrals.attributeSignup({ tx, refereeId: referee.id, refereeEmail: referee.email, refereeName: referee.name, code, ip, deviceId: null }),
  );
  if (referral?.status !== 'pending' && referral?.status !== 'flagged') throw new Error(`the fraud rules refused the fixture's referral: ${referral?.status}`);
  const [row] = await db.query(`SELECT id FROM referrals WHERE referee_id = $1`, [referee.id]);
  const review = status === 'rejected' ? 'reject' : status === 'pending' && referral.status === 'flagged' ? 'approve' : null;
  if (review) {
    const admin = await createTestUser(app, { role: 'admin' });
    await app.get(ReferralReviewService).review(row.id, review, { id: admin.id });
  }
  return row.id;
}

/** A → B → C: `top` referred `referrer`, who referred `buyer`. */
export async function referralChain(app: INestApplication, statuses: { top?: ReferralState; referrer?: ReferralState } = {}) {
  const top = await createTestUser(app, { name: 'Ann Top' });
  const referrer = await createTestUser(app, { name: 'Bob Referrer' });
  const buyer = await createTestUser(app, { name: 'Cat Buyer' });
  const topReferral = await refer(app, top, referrer, statuses.top ?? 'pending');
  const referral = await refer(app, referrer, buyer, statuses.referrer ?? 'pending');
  return { top, referrer, buyer, topReferral, referral };
}

export interface Balances {
  total: number;
  available: number;
  pending: number;
  debt: number;
}

export async function balances(app: INestApplication, userId: string): Promise<Balances> {
  const [row] = await app.get(DataSource).query(
    `SELECT COALESCE(b.total, 0)::int AS total, COALESCE(b.available, 0)::int AS available, COALESCE(b.pending, 0)::int AS pending,
            COALESCE(b.debt, 0)::int AS debt
       FROM users u LEFT JOIN point_balances b ON b.user_id = u.id WHERE u.id = $1`,
    [userId],
  );
  return row;
}

/** The awards and clawbacks of an order, by key. */
export async function orderEntries(app: INestApplication, orderId: string) {
  return app.get(DataSource).query(
    `SELECT t.user_id, t.type, t.amount::int AS amount, t.status, t.source, t.idempotency_key, t.metadata
       FROM point_transactions t
      WHERE t.id IN (SELECT a.ledger_entry_id FROM purchase_awards a JOIN purchases p ON p.id = a.purchase_id WHERE p.order_id = $1
                     UNION ALL
                     SELECT l.ledger_entry_id FROM purchase_award_clawbacks l JOIN purchase_awards a ON a.id = l.award_id
                       JOIN purchases p ON p.id = a.purchase_id WHERE p.order_id = $1)
      ORDER BY t.created_at, t.id`,
    [orderId],
  ) as Promise<Array<{ user_id: string; type: string; amount: number; status: string; source: string; idempotency_key: string; metadata: any }>>;
}

/** Waits until pg-boss has no unfinished purchase or referral job, delayed releases apart (they wait for their day). */
export async function jobsIdle(app: INestApplication, ms = 30_000): Promise<void> {
  const db = app.get(DataSource);
  await until(
    async () => (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE (name LIKE 'purchase-%' OR name LIKE 'referrals-%') AND state IN ('created', 'retry', 'active')
         AND NOT (name = '${PURCHASE_RELEASE_JOB}' AND state = 'created' AND start_after > now())`))[0].n,
    (n: number) => n === 0,
    ms,
  );
}
