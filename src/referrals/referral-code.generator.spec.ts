import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, normaliseReferralCode, randomReferralCodeGenerator } from './referral-code.generator';

describe('randomReferralCodeGenerator', () => {
  it('makes 8 Crockford base32 characters, spread over the whole alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = randomReferralCodeGenerator.next();
      expect(code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
      for (const ch of code) seen.add(ch);
    }
    expect(seen.size).toBe(CROCKFORD_ALPHABET.length);
  });
});

describe('normaliseReferralCode', () => {
  it('trims and upper-cases', () => {
    expect(normaliseReferralCode('  ab12cd34 ')).toBe('AB12CD34');
  });

  it.each([undefined, null, 42, '', 'ABC', 'ABCDEFGHJ', 'ABCDEFGI', 'ABCD EFG', 'ÀBCDEFGH'])('refuses %j', (raw) => {
    expect(normaliseReferralCode(raw)).toBeUndefined();
  });
});
