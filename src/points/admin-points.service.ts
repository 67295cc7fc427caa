import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
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
    private readonly audit: AuditLog,
  ) {}

  /** The ledger entry and its audit row commit together; a replayed key changes and logs nothing. */
  async add(
    adminId: string,
    userId: string,
    amount: number,
    reason: string,
    requestKey?: string,
    requestId?: string,
  ): Promise<{ result: LedgerResult; balances: Balances }> {
    const key = ledgerKeyFor('admin', adminId, requestKey, { userId, amount, reason });
    const metadata = { reason, adminId };
    const result = await this.points.commit(async (m) => {
      const r =
        amount > 0
          ? await this.points.addPointsIn(m, userId, amount, 'admin', metadata, key, { description: reason })
          : await this.points.spendIn(m, userId, -amount, 'admin', metadata, key, 'spend', reason);
      if (!r.duplicate && r.balances) {
        const { total, available, pending, debt, level } = r.balances;
        await this.audit.record(m, {
          actor: { id: adminId, requestId },
          action: amount > 0 ? 'points.added' : 'points.deducted',
          targetType: 'user',
          targetId: userId,
          after: { total, available, pending, debt, level },
          details: { amount, reason, transactionId: r.transaction.id },
        });
      }
      return r;
    }, userId);
    const balances = result.balances ?? (await this.queries.findBalances(userId));
    return { result, balances: balances! };
  }
}
