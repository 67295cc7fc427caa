import { defineException } from '../common/errors/app.exception';

export enum ReferralsErrorCode {
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  REFERRAL_CODE_UNAVAILABLE = 'REFERRAL_CODE_UNAVAILABLE',
}

export const ReferralsException = defineException<ReferralsErrorCode>('ReferralsException', {
  USER_NOT_FOUND: 404,
  REFERRAL_CODE_UNAVAILABLE: 503,
});
