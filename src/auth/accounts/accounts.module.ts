import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MailModule } from '../../mail/mail.module';
import { ReferralsModule } from '../../referrals/referrals.module';
import { UsersModule } from '../../users/users.module';
import { AccountClosureService } from './account-closure.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { GoogleAuthController } from './google/google-auth.controller';
import { GoogleSignInService } from './google/google-sign-in.service';
import { GoogleStrategy } from './google/google.strategy';
import { PendingSignupEntity } from './entities/pending-signup.entity';
import { CodeFailuresRepository } from './code-failures.repository';
import { CodeGate } from './code-gate';
import { CodeRequestsService } from './code-requests.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetsRepository } from './password-resets.repository';
import { PendingSignupsCleanupService } from './pending-signups-cleanup.service';
import { PendingSignupsRepository } from './pending-signups.repository';
import { VerificationCodes } from './verification-codes';

@Module({
  imports: [TypeOrmModule.forFeature([PendingSignupEntity]), UsersModule, ReferralsModule, MailModule],
  controllers: [AuthController, GoogleAuthController],
  providers: [
    AuthService,
    GoogleSignInService,
    PendingSignupsRepository,
    PendingSignupsCleanupService,
    VerificationCodes,
    PasswordHasher,
    CodeFailuresRepository,
    CodeGate,
    CodeRequestsService,
    LoginThrottle,
    PasswordResetsRepository,
    PasswordResetService,
    AccountClosureService,
    {
      // Registers the passport strategy only when Google is configured; the guard answers 404 otherwise.
      provide: GoogleStrategy,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.google ? new GoogleStrategy(config.google) : null,
    },
  ],
})
export class AccountsModule {}
