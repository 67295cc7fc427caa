import { randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERRAL_CODE_LENGTH = 8;
export const REFERRAL_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** Injected so tests can shrink the code space and drive the collision retry. */
export const REFERRAL_CODE_GENERATOR = Symbol('REFERRAL_CODE_GENERATOR');

export interface ReferralCodeGenerator {
  next(): string;
}

export const randomReferralCodeGenerator: ReferralCodeGenerator = {
  next() {
    let code = '';
    for (let i = 0; i < REFERRAL_CODE_LENGTH; i++) code += CROCKFORD_ALPHABET[randomInt(CROCKFORD_ALPHABET.length)];
    return code;
  },
};

/** Trimmed and upper-cased, as API.md matches codes; undefined for anything that cannot be a code. */
export function normaliseReferralCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const code = raw.trim().toUpperCase();
  return REFERRAL_CODE_PATTERN.test(code) ? code : undefined;
}
