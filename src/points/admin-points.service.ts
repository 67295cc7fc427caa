import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { Tx } from '../database/unit-of-work';
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
    const source = 'admin' as const;
    // The audit row commits with the entry, in the ledger's group commit: one statement writes the rows of a whole batch.
    const alongside = async (tx: Tx, r: LedgerResult) => {
      if (r.duplicate || !r.balances) return;
      const { total, available, pending, debt, level } = r.balances;
      this.audit.recordAtCommit(tx, {
        actor: { id: adminId, requestId },
        action: amount > 0 ? 'points.added' : 'points.deducted',
        targetType: 'user',
        targetId: userId,
        after: { total, available, pending, debt, level },
        details: { amount, reason, transactionId: r.transaction.id },
      });
    };
    const entry = { userId, source, metadata, idempotencyKey: key, description: reason, alongside };
    const result = amount > 0 ? await this.points.addPoints({ ...entry, amount }) : await this.points.spend({ ...entry, amount: -amount });
    const balances = result.balances ?? (await this.queries.findBalances(userId));
    return { result, balances: balances! };
  }
}
