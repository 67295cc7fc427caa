import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PointsModule } from '../points/points.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { ActiveReferralsRefresh } from './active-referrals-refresh.service';
import { OrderSettlementService } from './order-settlement.service';
import { PurchaseRewardsService } from './purchase-rewards.service';
import { PurchaseWorkersService } from './purchase-workers.service';
import { RewardRuleVersionsRepository } from './reward-rule-versions.repository';
import { RewardRulesController } from './reward-rules.controller';
import { RewardRulesService } from './reward-rules.service';
import { RefundSweepService } from './refund-sweep.service';
import { PurchasesController } from './purchases.controller';
import { PurchasesRepository } from './purchases.repository';
import { PurchasesService } from './purchases.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@Module({
  imports: [AuditModule, PointsModule, ReferralsModule],
  controllers: [PurchasesController, RewardRulesController],
  providers: [
    PurchasesService,
    PurchasesRepository,
    PurchaseRewardsService,
    OrderSettlementService,
    ActiveReferralsRefresh,
    PurchaseWorkersService,
    RefundSweepService,
    WebhookSignatureGuard,
    RewardRulesService,
    RewardRuleVersionsRepository,
  ],
  exports: [PurchasesService, OrderSettlementService, ActiveReferralsRefresh],
})
export class PurchasesModule {}
