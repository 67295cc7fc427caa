import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PointsModule } from '../points/points.module';
import { PurchasesModule } from '../purchases/purchases.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { UsersModule } from '../users/users.module';
import { AdminAnalyticsController } from './admin-analytics.controller';
import { AdminReferralsController } from './admin-referrals.controller';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { ReferralReviewRepository } from './referral-review.repository';
import { ReferralReviewService } from './referral-review.service';

@Module({
  imports: [AuditModule, PointsModule, PurchasesModule, ReferralsModule, UsersModule],
  controllers: [AdminAnalyticsController, AdminReferralsController, AdminUsersController],
  providers: [AnalyticsService, AnalyticsRepository, ReferralReviewService, ReferralReviewRepository, AdminUsersService],
})
export class AdminModule {}
