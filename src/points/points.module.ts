import { Module } from '@nestjs/common';
import { PointsLedgerRepository } from './points-ledger.repository';
import { PointsService } from './points.service';

@Module({
  providers: [PointsLedgerRepository, PointsService],
  exports: [PointsService],
})
export class PointsModule {}
