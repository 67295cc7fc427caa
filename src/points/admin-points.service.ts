import { Injectable } from '@nestjs/common';
import { ledgerKeyFor } from '../idempotency/ledger-key';
import { Balances } from './points-ledger.repository';
import { PointsQueryRepository } from './points-query.repository';
import { LedgerResult, PointsService } from './points.service';

/** Manual grants and corrections: positive amounts earn, negative ones spend (never overdrawing). */
@Injectable()
export class AdminPointsService {
  constructor(
    private readonly points: PointsService,
    private readonly queries: PointsQueryRepository,
  ) {}

  async add(adminId: string, userId: string, amount: number, reason: string, requestKey?: string): Promise<{ result: LedgerResult; balances: Balances }> {
    const key = ledgerKeyFor('admin', adminId, requestKey, { userId, amount, reason });
    const metadata = { reason, adminId };
    const result =
      amount > 0
        ? await this.points.addPoints({ userId, amount, source: 'admin', metadata, idempotencyKey: key, description: reason })
        : await this.points.spend({ userId, amount: -amount, source: 'admin', metadata, idempotencyKey: key, description: reason });
    const balances = result.balances ?? (await this.queries.findBalances(userId));
    return { result, balances: balances! };
  }
}
