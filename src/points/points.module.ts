import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ClockModule } from '../common/clock';
import { MailModule } from '../mail/mail.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PointBalanceEntity } from './entities/point-balance.entity';
import { PointTransactionEntity } from './entities/point-transaction.entity';
import { LevelsModule } from '../levels/levels.module';
import { AdminPointsService } from './admin-points.service';
import { LevelEvaluationService } from './level-evaluation.service';
import { LevelWindowRepository } from './level-window.repository';
import { PointsExpiryService } from './points-expiry.service';
import { PointsLedgerRepository } from './points-ledger.repository';
import { LedgerBatchRepository } from './ledger-batch.repository';
import { PointsQueriesService } from './points-queries.service';
import { PointsQueryRepository } from './points-query.repository';
import { PointsController } from './points.controller';
import { PointsService } from './points.service';
import { RedemptionsRepository } from './redemptions.repository';
import { RedemptionsService } from './redemptions.service';

@Module({
  imports: [TypeOrmModule.forFeature([PointTransactionEntity, PointBalanceEntity]), LevelsModule, AuditModule, ClockModule, MailModule],
  controllers: [PointsController],
  providers: [
    PointsLedgerRepository,
    LedgerBatchRepository,
    PointsQueryRepository,
    RedemptionsRepository,
    PointsService,
    PointsQueriesService,
    RedemptionsService,
    AdminPointsService,
    PointsExpiryService,
    LevelWindowRepository,
    LevelEvaluationService,
  ],
  exports: [PointsService, PointsQueriesService, PointsExpiryService, LevelEvaluationService],
})
export class PointsModule {}
