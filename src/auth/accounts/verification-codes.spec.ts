import { Test } from '@nestjs/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { VerificationCodes } from './verification-codes';

describe('VerificationCodes', () => {
  let codes: VerificationCodes;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [VerificationCodes, { provide: APP_CONFIG, useValue: { jwtSecret: 's'.repeat(48) } as AppConfig }],
    }).compile();
    codes = moduleRef.get(VerificationCodes);
  });

  describe('generate', () => {
    it('gives six digits, leading zeros kept, spread over the range', () => {
      const seen = new Set(Array.from({ length: 500 }, () => codes.generate()));
      for (const code of seen) expect(code).toMatch(/^\d{6}$/);
      expect(seen.size).toBeGreaterThan(490);
    });
  });

  describe('hash and matches', () => {
    it('accepts the code for its email only, never storing it in clear', () => {
      const hash = codes.hash('a@example.com', '012345');
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toContain('012345');
      expect(codes.matches('a@example.com', '012345', hash)).toBe(true);
      expect(codes.matches('a@example.com', ' 012345 ', hash)).toBe(true);
      expect(codes.matches('a@example.com', '012346', hash)).toBe(false);
      expect(codes.matches('b@example.com', '012345', hash)).toBe(false);
      expect(codes.matches('a@example.com', '012345', 'not-a-hash')).toBe(false);
    });
  });
});
