import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { RewardType } from './dto/redeem-points.dto';

export interface Redemption {
  id: string;
  type: RewardType;
  value: number;
  code: string | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 Crockford base32 characters (60 random bits) in groups of four: RWD-XXXX-XXXX-XXXX. */
export function newDiscountCode(): string {
  const chars = Array.from({ length: 12 }, () => CROCKFORD[randomInt(32)]).join('');
  return `RWD-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

@Injectable()
export class RedemptionsRepository {
  /** Records the reward inside the redemption's transaction; a discount code is unique across all rewards. */
  async insert(m: EntityManager, r: { id: string; userId: string; transactionId: string; type: RewardType; value: number }): Promise<Redemption> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = r.type === 'discount-code' ? newDiscountCode() : null;
      const rows = await m.query(
        `INSERT INTO reward_redemptions (id, user_id, transaction_id, type, value, code) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO NOTHING RETURNING id, type, value, code`,
        [r.id, r.userId, r.transactionId, r.type, r.value, code],
      );
      if (rows.length === 1) return toRedemption(rows[0]);
    }
    throw new Error('could not draw an unused discount code');
  }

  async findByTransaction(m: EntityManager, transactionId: string): Promise<Redemption | null> {
    const [row] = await m.query(`SELECT id, type, value, code FROM reward_redemptions WHERE transaction_id = $1`, [transactionId]);
    return row ? toRedemption(row) : null;
  }
}

function toRedemption(r: Record<string, unknown>): Redemption {
  return { id: r.id as string, type: r.type as RewardType, value: Number(r.value), code: (r.code as string | null) ?? null };
}
