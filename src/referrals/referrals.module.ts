import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferralEntity } from './entities/referral.entity';
import { FraudModule } from '../fraud/fraud.module';
import { ClickRecorderService } from './click-recorder.service';
import { REFERRAL_CODE_GENERATOR, randomReferralCodeGenerator } from './referral-code.generator';
import { ReferralListRepository } from './referral-list.repository';
import { ReferralListService } from './referral-list.service';
import { ReferralConversionRepository } from './referral-conversion.repository';
import { ReferralConversionService } from './referral-conversion.service';
import { ReferralStatsRepository } from './referral-stats.repository';
import { ReferralStatsService } from './referral-stats.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsRepository } from './referrals.repository';
import { ReferralsService } from './referrals.service';
import { ShortLinkController } from './short-link.controller';

@Module({
  imports: [TypeOrmModule.forFeature([ReferralEntity]), FraudModule, UsersModule],
  controllers: [ReferralsController, ShortLinkController],
  providers: [
    ReferralsService,
    ReferralsRepository,
    ReferralListService,
    ReferralListRepository,
    ClickRecorderService,
    ReferralConversionService,
    ReferralConversionRepository,
    ReferralStatsService,
    ReferralStatsRepository,
    { provide: REFERRAL_CODE_GENERATOR, useValue: randomReferralCodeGenerator },
  ],
  exports: [ReferralsService, ReferralConversionService, ReferralListService, ReferralStatsService],
})
export class ReferralsModule {}
