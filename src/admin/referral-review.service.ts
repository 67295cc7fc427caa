import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { UnitOfWork } from '../database/unit-of-work';
import { ActiveReferralsRefresh } from '../purchases/active-referrals-refresh.service';
import { OrderSettlementService } from '../purchases/order-settlement.service';
import { ReferralConversionService } from '../referrals/referral-conversion.service';
import { pageRequest, toPage } from '../common/pagination/list-cursor';
import { ReferralsErrorCode, ReferralsException } from '../referrals/referrals.exception';
import { AdminReferralDto, AdminReferralListDto } from './dto/admin-referral.dto';
import { ListAdminReferralsQueryDto } from './dto/list-admin-referrals-query.dto';
import { AdminReferralRow, ReferralReviewRepository } from './referral-review.repository';
import { isUuid } from '../common/uuid';

@Injectable()
export class ReferralReviewService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repository: ReferralReviewRepository,
    private readonly conversion: ReferralConversionService,
    private readonly settlement: OrderSettlementService,
    private readonly activeReferrals: ActiveReferralsRefresh,
    private readonly audit: AuditLog,
  ) {}

  async list(query: ListAdminReferralsQueryDto): Promise<AdminReferralListDto> {
    const { limit, after } = pageRequest(query);
    const rows = await this.repository.page({ status: query.status, limit: limit + 1, after });
    return toPage(rows, limit, (r) => ({ createdAt: r.cursorAt, id: r.id }), toDto);
  }

  /**
   * Approving releases every award held for this referral whose other reviews and holding period
   * are over; rejecting voids them. The decision, the ledger move and the audit row commit together.
   */
  async review(
    referralId: string,
    decision: 'approve' | 'reject',
    reviewer: { id: string; requestId?: string },
    note?: string,
  ): Promise<AdminReferralDto> {
    if (!isUuid(referralId)) throw new ReferralsException(ReferralsErrorCode.REFERRAL_NOT_FOUND, 'No referral has this id');
    const row = await this.uow.run(async (tx) => {
      const reviewed = await this.conversion.review(tx.manager, referralId, decision, reviewer.id);
      await this.audit.record(tx.manager, {
        actor: reviewer,
        action: decision === 'approve' ? 'referral.approved' : 'referral.rejected',
        targetType: 'referral',
        targetId: referralId,
        before: { status: 'flagged' },
        after: { status: reviewed.status },
        details: note === undefined ? {} : { note },
      });
      const parties = { referralId, referrerId: reviewed.referrerId, refereeId: reviewed.refereeId };
      if (reviewed.status === 'rejected') tx.record('webhook-event', { type: 'referral.rejected', data: parties });
      else tx.record('webhook-event', { type: 'referral.approved', data: { ...parties, status: reviewed.status === 'converted' ? 'converted' : 'pending' } });
      for (const purchaseId of await this.settlement.heldPurchases(tx, referralId)) await this.settlement.settle({ tx, purchaseId });
      return (await this.repository.findOne(tx.manager, referralId))!;
    });
    // A rejected referee stops counting as active for the referrer.
    if (decision === 'reject') await this.activeReferrals.request(row.referrer.id);
    return toDto(row);
  }
}

function toDto({ cursorAt: _cursor, ...dto }: AdminReferralRow): AdminReferralDto {
  return dto;
}
