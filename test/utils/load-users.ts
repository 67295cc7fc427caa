import { randomUUID } from 'node:crypto';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { httpCall } from './http-call';
import { withClient } from './own-postgres';

export interface LoadUser {
  id: string;
  email: string;
  token: string;
}

export interface LoadUsers {
  admin: LoadUser;
  /** Ann referred Bob; Bob referred every buyer: purchases pay Bob (level 1) and Ann (level 2). */
  ann: LoadUser;
  bob: LoadUser;
  buyers: string[];
}

const PASSWORD = 'load-password-0123';

/** The users of a load test, inserted into `databaseUrl`; tokens come from a real log-in on `appUrl`. */
export async function createLoadUsers(databaseUrl: string, appUrl: string, buyerCount: number): Promise<LoadUsers> {
  const hash = await new PasswordHasher().hash(PASSWORD);
  const tag = randomUUID().slice(0, 8);
  const ids = await withClient(databaseUrl, async (db) => {
    const insert = async (name: string, role: 'user' | 'admin') =>
      (
        await db.query<{ id: string }>(`INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
          `${name.toLowerCase().replace(/\W/g, '-')}-${tag}@example.com`,
          name,
          role,
          hash,
        ])
      ).rows[0].id;
    const refer = async (referrer: string, referee: string) => {
      await db.query(`INSERT INTO referrals (referrer_id, referee_id, code, status, reasons) VALUES ($1, $2, 'LOADTEST', 'pending', '[]'::jsonb)`, [referrer, referee]);
      await db.query(`UPDATE users SET referred_by_id = $2 WHERE id = $1`, [referee, referrer]);
      await db.query(`INSERT INTO referral_stats AS s (user_id, total_referrals) VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET total_referrals = s.total_referrals + 1`, [referrer]);
    };
    const admin = await insert('Load Admin', 'admin');
    const ann = await insert('Ann Load', 'user');
    const bob = await insert('Bob Load', 'user');
    await refer(ann, bob);
    const buyers: string[] = [];
    for (let i = 0; i < buyerCount; i++) {
      const buyer = await insert(`Buyer ${i}`, 'user');
      await refer(bob, buyer);
      buyers.push(buyer);
    }
    return { admin, ann, bob, buyers };
  });
  const login = async (id: string, name: string): Promise<LoadUser> => {
    const email = `${name.toLowerCase().replace(/\W/g, '-')}-${tag}@example.com`;
    const res = await httpCall(appUrl, 'POST', '/api/auth/login', { body: JSON.stringify({ email, password: PASSWORD }) });
    if (res.status !== 200 || typeof res.body?.accessToken !== 'string') throw new Error(`log-in of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return { id, email, token: res.body.accessToken };
  };
  return {
    admin: await login(ids.admin, 'Load Admin'),
    ann: await login(ids.ann, 'Ann Load'),
    bob: await login(ids.bob, 'Bob Load'),
    buyers: ids.buyers,
  };
}
