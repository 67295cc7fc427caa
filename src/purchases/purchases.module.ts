import { Module } from '@nestjs/common';
import { PointsModule } from '../points/points.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { ActiveReferralsRefresh } from './active-referrals-refresh.service';
import { OrderSettlementService } from './order-settlement.service';
import { PurchaseRewardsService } from './purchase-rewards.service';
import { PurchaseWorkersService } from './purchase-workers.service';
import { RefundSweepService } from './refund-sweep.service';
import { PurchasesController } from './purchases.controller';
import { PurchasesRepository } from './purchases.repository';
import { PurchasesService } from './purchases.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@Module({
  imports: [PointsModule, ReferralsModule],
  controllers: [PurchasesController],
  providers: [
    PurchasesService,
    PurchasesRepository,
    PurchaseRewardsService,
    OrderSettlementService,
    ActiveReferralsRefresh,
    PurchaseWorkersService,
    RefundSweepService,
    WebhookSignatureGuard,
  ],
  exports: [PurchasesService, OrderSettlementService, ActiveReferralsRefresh],
})
export class PurchasesModule {}
