import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { FraudService } from '../fraud/fraud.service';
import { InTx } from '../database/unit-of-work';
import { DomainEvent } from '../notifications/realtime-events';
import { maskEmail } from '../users/email-canonical';
import { UsersService } from '../users/users.service';
import { normaliseReferralCode, REFERRAL_CODE_GENERATOR, ReferralCodeGenerator } from './referral-code.generator';
import { ReferralsErrorCode, ReferralsException } from './referrals.exception';
import { isUniqueViolation } from '../database/unique-violation';
import { ReferralsRepository } from './referrals.repository';

const CODE_ATTEMPTS = 5;

export interface SignupAttribution {
  referral: { status: 'pending' | 'flagged' | 'rejected'; reasons: string[] } | null;
}

@Injectable()
export class ReferralsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REFERRAL_CODE_GENERATOR) private readonly generator: ReferralCodeGenerator,
    private readonly repository: ReferralsRepository,
    private readonly fraud: FraudService,
    private readonly users: UsersService,
  ) {}

  /** The live code `raw` names, trimmed and upper-cased; undefined when it names none. */
  async resolveCode(raw: string | undefined | null): Promise<string | undefined> {
    const code = normaliseReferralCode(raw);
    return code && (await this.repository.findOwnerOfCode(code)) ? code : undefined;
  }

  /** The live owner of a code, for the short link. */
  ownerOfCode(code: string): Promise<string | undefined> {
    return this.repository.findOwnerOfCode(code);
  }

  /** Called inside the verify (or Google-create) unit of work right after the user row is inserted. */
  async attributeSignup(
    input: Required<InTx> & {
      refereeId: string;
      refereeEmail: string;
      refereeName: string;
      code: string | undefined;
      ip: string | null;
      deviceId: string | null;
    },
  ): Promise<SignupAttribution> {
    const manager = input.tx.manager;
    const code = normaliseReferralCode(input.code);
    if (!code) return { referral: null };
    // The code may have been rotated away since sign-up: then nobody is credited.
    const referrer = await this.repository.lockReferrerByCode(manager, code);
    if (!referrer) return { referral: null };
    const verdict = await this.fraud.assessSignup(manager, {
      referrer,
      referee: { id: input.refereeId, email: input.refereeEmail, ip: input.ip, deviceId: input.deviceId },
    });
    const referralId = await this.repository.insertReferral(manager, {
      referrerId: referrer.id,
      refereeId: input.refereeId,
      code,
      status: verdict.status,
      reasons: verdict.reasons,
    });
    const referral = { status: verdict.status, reasons: [...verdict.reasons] };
    const parties = { referralId, referrerId: referrer.id, refereeId: input.refereeId };
    // Refused at sign-up (a self-referral): it never became a referral anyone could see.
    if (verdict.status === 'rejected') {
      input.tx.record('webhook-event', { type: 'referral.rejected', data: parties });
      return { referral };
    }
    input.tx.record('webhook-event', { type: 'referral.created', data: { ...parties, status: verdict.status } });
    if (verdict.status === 'flagged') input.tx.record('webhook-event', { type: 'referral.flagged', data: { ...parties, reasons: referral.reasons } });
    if (!(await this.users.setReferredBy(manager, input.refereeId, referrer.id))) {
      throw new Error(`referee ${input.refereeId} is missing or already attributed`);
    }
    const totalReferrals = await this.repository.countReferral(manager, referrer.id);
    const event: DomainEvent<'referral-signup'> = {
      userId: referrer.id,
      event: 'referral-signup',
      payload: { refereeName: input.refereeName, refereeEmail: maskEmail(input.refereeEmail), totalReferrals },
    };
    input.tx.record('domain-event', event);
    return { referral };
  }

  /** Creates the user's code or rotates it: the old one stops resolving at once. */
  async generateCode(userId: string): Promise<{ code: string; url: string }> {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = this.generator.next();
      try {
        const result = await this.users.setReferralCode(userId, code);
        if (result === 'missing') throw new ReferralsException(ReferralsErrorCode.USER_NOT_FOUND, 'This account no longer exists');
        if (result === 'set') return { code, url: this.shortLink(code) };
      } catch (error) {
        if (!isUniqueViolation(error, 'users_referral_code_key')) throw error;
      }
    }
    throw new ReferralsException(
      ReferralsErrorCode.REFERRAL_CODE_UNAVAILABLE,
      'Could not allocate a unique referral code; please try again',
      { 'Retry-After': '1' },
    );
  }

  shortLink(code: string): string {
    return `${this.config.publicUrl}/r/${code}`;
  }
}
