import { Injectable } from '@nestjs/common';
import { AccessTokenPayload, AuthUser } from './auth-user';
import { AccountState, AccountStateRepository } from './account-state.repository';

/**
 * How long an instance trusts what it read about an account. A demotion, reset or closure made
 * anywhere (another instance, the CLI) is seen by every instance within this; the instance
 * that made it drops its entry at once.
 */
export const ACCOUNT_STATE_TTL_MS = 2_000;
const MAX_ENTRIES = 50_000;

interface Entry {
  state: AccountState | null;
  readAt: number;
}

/**
 * A token is honoured only while its account is open with the token version it was issued
 * for (bumped by a reset or closure), and never with more than the role the account has now:
 * a demoted admin's token acts as a user's (403 on admin endpoints), and a promoted user's
 * token stays a user's until the next log-in (API.md, Auth). Every request and socket
 * re-validation goes through here.
 */
@Injectable()
export class SessionValidator {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<AccountState | null>>();
  /** When each account was last invalidated here: a read begun before that may predate the change and is not kept. */
  private readonly invalidatedAt = new Map<string, number>();

  constructor(private readonly accounts: AccountStateRepository) {}

  async validate(claims: AccessTokenPayload): Promise<AuthUser | undefined> {
    return honoured(await this.stateOf(claims.sub), claims);
  }

  /**
   * For each session (the claims and the caller they were honoured as), whether they are still
   * honoured as that same caller, read fresh (the socket sweep); refreshes the cache.
   */
  async stillValid(sessions: Array<{ claims: AccessTokenPayload; user: AuthUser }>): Promise<boolean[]> {
    const ids = [...new Set(sessions.map((s) => s.claims.sub))];
    const readAt = Date.now();
    const states = new Map<string, AccountState>();
    for (let i = 0; i < ids.length; i += 1000) {
      for (const [id, state] of await this.accounts.openAccounts(ids.slice(i, i + 1000))) states.set(id, state);
    }
    for (const id of ids) this.remember(id, states.get(id) ?? null, readAt);
    return sessions.map(({ claims, user }) => honoured(states.get(claims.sub) ?? null, claims)?.role === user.role);
  }

  /** Forgets what this instance knows of the account, after a change made here. */
  invalidate(userId: string): void {
    const now = Date.now();
    this.cache.delete(userId);
    this.inFlight.delete(userId);
    this.invalidatedAt.set(userId, now);
    if (this.invalidatedAt.size > MAX_ENTRIES) {
      for (const [id, at] of this.invalidatedAt) if (now - at > ACCOUNT_STATE_TTL_MS) this.invalidatedAt.delete(id);
    }
  }

  private stateOf(userId: string): Promise<AccountState | null> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.readAt < ACCOUNT_STATE_TTL_MS) return Promise.resolve(hit.state);
    let pending = this.inFlight.get(userId);
    if (!pending) {
      const readAt = Date.now();
      const read: Promise<AccountState | null> = this.accounts
        .openAccounts([userId])
        .then((states) => {
          const state = states.get(userId) ?? null;
          this.remember(userId, state, readAt);
          return state;
        })
        .finally(() => {
          if (this.inFlight.get(userId) === read) this.inFlight.delete(userId);
        });
      this.inFlight.set(userId, (pending = read));
    }
    return pending;
  }

  private remember(userId: string, state: AccountState | null, readAt: number): void {
    if ((this.invalidatedAt.get(userId) ?? -Infinity) >= readAt) return;
    this.cache.delete(userId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(userId, { state, readAt });
  }
}

function honoured(state: AccountState | null, claims: AccessTokenPayload): AuthUser | undefined {
  if (!state || state.tokenVersion !== claims.ver) return undefined;
  return { id: claims.sub, role: state.role === 'admin' && claims.role === 'admin' ? 'admin' : 'user' };
}
