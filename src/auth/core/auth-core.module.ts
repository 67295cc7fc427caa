import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { JwtAuthGuard, OptionalJwtAuthGuard } from './guards/jwt-auth.guard';
import { RolesGuard } from './guards/roles.guard';
import { jwtKey } from './jwt-key';
import { TokenService } from './token.service';
import { AccountStateRepository } from './account-state.repository';
import { SessionValidator } from './session-validator';
import { TokenSocketAuthenticator } from './token-socket-authenticator';

/** Token signing and the guards every module's controllers use. */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: jwtKey(config),
        signOptions: { expiresIn: '1h', algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [TokenService, AccountStateRepository, SessionValidator, TokenSocketAuthenticator, JwtAuthGuard, OptionalJwtAuthGuard, RolesGuard],
  exports: [TokenService, SessionValidator, TokenSocketAuthenticator, JwtAuthGuard, OptionalJwtAuthGuard, RolesGuard],
})
export class AuthCoreModule {}
