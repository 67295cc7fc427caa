import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { judgeSignup, SignupRiskReason, SignupSignals, SignupVerdict } from './fraud-rules';
import { FraudRepository } from './fraud.repository';

@Injectable()
export class FraudService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: FraudRepository,
  ) {}

  /** Judges a referred sign-up inside the caller's transaction (the referrer row is already locked). */
  async assessSignup(
    manager: EntityManager,
    signals: Pick<SignupSignals, 'referrer' | 'referee'>,
  ): Promise<{ status: SignupVerdict; reasons: SignupRiskReason[] }> {
    const recentReferees = await this.repository.countRecentReferees(manager, signals.referrer.id);
    return judgeSignup({ ...signals, recentReferees, velocityPerHour: this.config.referralVelocityPerHour });
  }
}
