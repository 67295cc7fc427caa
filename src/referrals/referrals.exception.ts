import { defineException } from '../common/errors/app.exception';

export enum ReferralsErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  REFERRAL_CODE_UNAVAILABLE = 'REFERRAL_CODE_UNAVAILABLE',
  REFERRAL_NOT_FOUND = 'REFERRAL_NOT_FOUND',
  REFERRAL_NOT_FLAGGED = 'REFERRAL_NOT_FLAGGED',
}

export const ReferralsException = defineException<ReferralsErrorCode>('ReferralsException', {
  USER_NOT_FOUND: 404,
  REFERRAL_CODE_UNAVAILABLE: 503,
  REFERRAL_NOT_FOUND: 404,
  REFERRAL_NOT_FLAGGED: 409,
});
