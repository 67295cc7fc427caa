import { describe, expect, it } from 'vitest';
import { AccountState, AccountStateRepository } from './account-state.repository';
import { AccessTokenPayload } from './auth-user';
import { SessionValidator } from './session-validator';

const ID = '6f1c2a4e-0b7d-4c1e-9a3f-2d5e8b7c1a90';
const claims = (fields: Partial<AccessTokenPayload> = {}): AccessTokenPayload => ({ sub: ID, role: 'user', ver: 0, exp: 2e9, ...fields });

/** An accounts table in memory that counts reads and can hold one back. */
function accounts(initial: AccountState | null) {
  let state = initial;
  let reads = 0;
  let gate: Promise<void> | undefined;
  const repo = {
    async openAccounts(ids: string[]) {
      reads++;
      const snapshot = state;
      await gate;
      return new Map(snapshot && ids.includes(ID) ? [[ID, snapshot]] : []);
    },
  } as unknown as AccountStateRepository;
  return {
    repo,
    set: (next: AccountState | null) => void (state = next),
    reads: () => reads,
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('SessionValidator', () => {
  describe('validate', () => {
    it('honours a token only with its token version, and never with more than the account\'s role', async () => {
      const table = accounts({ role: 'admin', tokenVersion: 3 });
      const v = new SessionValidator(table.repo);
      expect(await v.validate(claims({ role: 'admin', ver: 3 }))).toEqual({ id: ID, role: 'admin' });
      expect(await v.validate(claims({ role: 'user', ver: 3 }))).toEqual({ id: ID, role: 'user' });
      expect(await v.validate(claims({ role: 'admin', ver: 2 }))).toBeUndefined();
      table.set({ role: 'user', tokenVersion: 3 });
      v.invalidate(ID);
      expect(await v.validate(claims({ role: 'admin', ver: 3 }))).toEqual({ id: ID, role: 'user' });
      table.set(null);
      v.invalidate(ID);
      expect(await v.validate(claims({ ver: 3 }))).toBeUndefined();
    });

    it('reads an account once while the cache holds it, and again after invalidate', async () => {
      const table = accounts({ role: 'user', tokenVersion: 0 });
      const v = new SessionValidator(table.repo);
      await Promise.all([v.validate(claims()), v.validate(claims())]);
      await v.validate(claims());
      expect(table.reads()).toBe(1);
      v.invalidate(ID);
      await v.validate(claims());
      expect(table.reads()).toBe(2);
    });

    it('does not keep a read that began before an invalidation', async () => {
      const table = accounts({ role: 'user', tokenVersion: 0 });
      const v = new SessionValidator(table.repo);
      const release = table.hold();
      const early = v.validate(claims());
      await new Promise((r) => setTimeout(r, 5));
      table.set(null);
      v.invalidate(ID);
      release();
      expect(await early).toEqual({ id: ID, role: 'user' });
      expect(await v.validate(claims())).toBeUndefined();
    });
  });

  describe('stillValid', () => {
    it('tells which sessions are still honoured as the same caller', async () => {
      const table = accounts({ role: 'user', tokenVersion: 1 });
      const v = new SessionValidator(table.repo);
      const result = await v.stillValid([
        { claims: claims({ ver: 1 }), user: { id: ID, role: 'user' } },
        { claims: claims({ role: 'admin', ver: 1 }), user: { id: ID, role: 'admin' } },
        { claims: claims({ ver: 0 }), user: { id: ID, role: 'user' } },
      ]);
      expect(result).toEqual([true, false, false]);
    });
  });
});
