import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ClockModule } from './common/clock';
import { createValidationPipe } from './common/http/validation.pipe';
import { GlobalExceptionFilter } from './common/errors/global-exception.filter';
import { AuthCoreModule } from './auth/core/auth-core.module';
import { TokenSocketAuthenticator } from './auth/core/token-socket-authenticator';
import { AccountsModule } from './auth/accounts/accounts.module';
import { AppConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ProbesModule } from './health/probes.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { LevelsModule } from './levels/levels.module';
import { NotificationsModule } from './notifications/notifications.module';
import { RealtimeGatewayModule } from './notifications/realtime-gateway.module';
import { RealtimeModule } from './notifications/realtime.module';
import { PointsModule } from './points/points.module';
import { PurchasesModule } from './purchases/purchases.module';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { ReferralsModule } from './referrals/referrals.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    AppConfigModule,
    ClockModule,
    DatabaseModule,
    AuthCoreModule,
    RealtimeModule,
    RealtimeGatewayModule.forRoot(TokenSocketAuthenticator),
    JobsModule,
    RateLimitModule,
    HealthModule,
    ProbesModule,
    MetricsModule,
    DashboardModule,
    LevelsModule,
    NotificationsModule,
    IdempotencyModule,
    PointsModule,
    ReferralsModule,
    AccountsModule,
    PurchasesModule,
    AdminModule,
    AuditModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: GlobalExceptionFilter },
  ],
})
export class AppModule {}
