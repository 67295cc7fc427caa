import { Module } from '@nestjs/common';
import { PurchasesModule } from '../purchases/purchases.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { AdminAnalyticsController } from './admin-analytics.controller';
import { AdminReferralsController } from './admin-referrals.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { ReferralReviewRepository } from './referral-review.repository';
import { ReferralReviewService } from './referral-review.service';

@Module({
  imports: [PurchasesModule, ReferralsModule],
  controllers: [AdminAnalyticsController, AdminReferralsController],
  providers: [AnalyticsService, AnalyticsRepository, ReferralReviewService, ReferralReviewRepository],
})
export class AdminModule {}
