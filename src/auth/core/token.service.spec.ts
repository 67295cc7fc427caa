import { JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccessTokenPayload } from './auth-user';
import { SessionValidator } from './session-validator';
import { TokenService } from './token.service';

const ID = '6f1c2a4e-0b7d-4c1e-9a3f-2d5e8b7c1a90';

function tokens(honoured: () => boolean = () => true) {
  const jwt = new JwtService({ secret: 'test-secret', signOptions: { expiresIn: 60, algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const sessions = {
    validate: async (claims: AccessTokenPayload) => (honoured() ? { id: claims.sub, role: claims.role } : undefined),
  } as unknown as SessionValidator;
  const verify = vi.spyOn(jwt, 'verify');
  return { service: new TokenService(jwt, sessions), jwt, verify };
}

describe('TokenService', () => {
  afterEach(() => vi.useRealTimers());

  describe('claims', () => {
    it('checks a token\'s signature once, and its expiry on every use', () => {
      vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), toFake: ['Date'] });
      const { service, verify } = tokens();
      const token = service.sign({ id: ID, role: 'admin', tokenVersion: 2 });
      expect(service.claims(token)).toMatchObject({ sub: ID, role: 'admin', ver: 2 });
      expect(service.claims(token)).toMatchObject({ sub: ID, role: 'admin', ver: 2 });
      expect(verify).toHaveBeenCalledTimes(1);
      vi.setSystemTime(new Date('2026-01-01T00:00:59Z'));
      expect(service.claims(token)).toBeDefined();
      vi.setSystemTime(new Date('2026-01-01T00:01:00Z'));
      expect(service.claims(token)).toBeUndefined();
      expect(service.claims(token)).toBeUndefined();
    });

    it('refuses a token with a changed signature or payload, even after the genuine one was verified', () => {
      const { service, jwt } = tokens();
      const token = service.sign({ id: ID, role: 'user' });
      expect(service.claims(token)).toBeDefined();
      const [header, payload, signature] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...jwt.decode(token), role: 'admin' })).toString('base64url');
      expect(service.claims(`${header}.${forged}.${signature}`)).toBeUndefined();
      expect(service.claims(`${header}.${payload}.${signature.slice(0, -2)}xx`)).toBeUndefined();
    });
  });

  describe('verify', () => {
    it('asks for the account on every use of a known token', async () => {
      let open = true;
      const { service } = tokens(() => open);
      const token = service.sign({ id: ID, role: 'user' });
      expect(await service.verify(token)).toBeDefined();
      open = false;
      expect(await service.verify(token)).toBeUndefined();
    });
  });
});
