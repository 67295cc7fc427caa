import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { JobsService } from '../jobs/jobs.service';
import { PURCHASE_RELEASE_JOB, PURCHASE_REFUND_JOB, PURCHASE_REWARD_JOB, PurchaseJobData } from './purchase-jobs';
import { PurchasesErrorCode, PurchasesException } from './purchases.exception';
import { ActiveReferralsRefresh } from './active-referrals-refresh.service';
import { PurchasesRepository } from './purchases.repository';
import { isUuid } from '../common/uuid';
import { RewardRulesService } from './reward-rules.service';

/** The order row's unique orderId settles racing notifications; the work must not run twice. */
const READ_COMMITTED = { isolation: 'READ COMMITTED' } as const;

export interface CompletedPurchase {
  orderId: string;
  userId: string;
  amount: number;
  currency: string;
  completedAt?: string | Date;
}

export interface WebhookAccepted {
  status: 'accepted';
  duplicate: boolean;
}

/**
 * Records purchase notifications. The purchase row and its jobs commit together, so a recorded
 * order always gets its rewards and a refused one never does; the rewards run in the workers.
 */
@Injectable()
export class PurchasesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: PurchasesRepository,
    private readonly jobs: JobsService,
    private readonly activeReferrals: ActiveReferralsRefresh,
    private readonly rewardRules: RewardRulesService,
  ) {}

  /** Idempotent on orderId; the same orderId with another user, amount or currency is a 409 ORDER_CONFLICT. */
  async notifyTransactionCompleted(input: CompletedPurchase): Promise<WebhookAccepted> {
    if (!isUuid(input.userId)) throw new PurchasesException(PurchasesErrorCode.USER_NOT_FOUND, 'No user has this id');
    const completedAt = input.completedAt === undefined ? null : new Date(input.completedAt).toISOString();
    const accepted = await this.uow.run(async (tx): Promise<WebhookAccepted> => {
      const m = tx.manager;
      const purchase = await this.repository.insert(m, { ...input, completedAt });
      if (purchase) {
        const data: PurchaseJobData = { purchaseId: purchase.id };
        await this.jobs.send(PURCHASE_REWARD_JOB, data, { tx });
        const { holdingDays } = await this.rewardRules.versionFor(m, purchase);
        if (holdingDays > 0) {
          await this.jobs.send(PURCHASE_RELEASE_JOB, data, { tx, startAfter: holdingDays * 86_400 + 1 });
        }
        return { status: 'accepted', duplicate: false };
      }
      const existing = await this.repository.findByOrderId(m, input.orderId);
      if (!existing) throw new PurchasesException(PurchasesErrorCode.USER_NOT_FOUND, 'No user has this id');
      if (existing.userId !== input.userId || existing.amount !== input.amount || existing.currency !== input.currency) {
        throw new PurchasesException(PurchasesErrorCode.ORDER_CONFLICT, 'This orderId was already reported with another user, amount or currency');
      }
      return { status: 'accepted', duplicate: true };
    }, READ_COMMITTED);
    // The referrer's active-referral recount is requested by the reward job, which reads the chain anyway.
    return accepted;
  }

  /**
   * `amount` is the order's total refunded so far (absent: all of it), so a repeated or stale
   * notification changes nothing. The clawback runs in the refund job.
   */
  async notifyRefund(input: { orderId: string; amount?: number }): Promise<WebhookAccepted> {
    const { accepted, buyerId } = await this.uow.run(async (tx) => {
      const m = tx.manager;
      const purchase = await this.repository.findByOrderId(m, input.orderId, true);
      if (!purchase) throw new PurchasesException(PurchasesErrorCode.ORDER_NOT_FOUND, 'No purchase has this orderId');
      const total = input.amount ?? purchase.amount;
      if (total > purchase.amount) {
        throw new PurchasesException(PurchasesErrorCode.INVALID_REFUND_AMOUNT, `The refunded total cannot exceed the order amount (${purchase.amount})`);
      }
      if (total <= purchase.refundedAmount) return { accepted: { status: 'accepted', duplicate: true } as const, buyerId: purchase.userId };
      await this.repository.recordRefund(m, purchase.id, total);
      await this.jobs.send(PURCHASE_REFUND_JOB, { purchaseId: purchase.id }, { tx });
      return { accepted: { status: 'accepted', duplicate: false } as const, buyerId: purchase.userId };
    }, READ_COMMITTED);
    if (!accepted.duplicate) await this.activeReferrals.requestForBuyer(buyerId);
    return accepted;
  }
}
