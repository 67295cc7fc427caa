import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

@Module({ controllers: [MetricsController], providers: [MetricsService, MetricsTokenGuard] })
export class MetricsModule {}
