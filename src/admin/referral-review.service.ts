import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { runSerializable } from '../database/serializable';
import { DomainEvent } from '../notifications/realtime-events';
import { RealtimeService } from '../notifications/realtime.service';
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
    private readonly dataSource: DataSource,
    private readonly repository: ReferralReviewRepository,
    private readonly conversion: ReferralConversionService,
    private readonly settlement: OrderSettlementService,
    private readonly realtime: RealtimeService,
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
    const { row, events } = await runSerializable(this.dataSource, async (m) => {
      const reviewed = await this.conversion.review(m, referralId, decision, reviewer.id);
      await this.audit.record(m, {
        actor: reviewer,
        action: decision === 'approve' ? 'referral.approved' : 'referral.rejected',
        targetType: 'referral',
        targetId: referralId,
        before: { status: 'flagged' },
        after: { status: reviewed.status },
        details: note === undefined ? {} : { note },
      });
      const events: DomainEvent[] = [];
      for (const purchaseId of await this.settlement.heldPurchases(m, referralId)) {
        events.push(...(await this.settlement.settleIn(m, purchaseId)));
      }
      return { row: (await this.repository.findOne(m, referralId))!, events };
    });
    this.realtime.publish(events);
    // A rejected referee stops counting as active for the referrer.
    if (decision === 'reject') await this.activeReferrals.request(row.referrer.id);
    return toDto(row);
  }
}

function toDto({ cursorAt: _cursor, ...dto }: AdminReferralRow): AdminReferralDto {
  return dto;
}
