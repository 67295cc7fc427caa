import type { Request } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';

const COOKIE = 'google_oauth_state';
const COOKIE_PATH = '/api/auth/google';

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (error: Error | null, ok: boolean, info?: { message: string }) => void;

/**
 * OAuth `state` (CSRF protection) kept in a short-lived HttpOnly cookie rather than a server
 * session, so any instance can finish the dance. The method arities are what passport-oauth2 expects.
 */
export class CookieStateStore {
  store(req: Request, _meta: unknown, callback: StoreCallback): void {
    const state = randomBytes(24).toString('base64url');
    req.res?.cookie(COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: req.secure, maxAge: 10 * 60_000, path: COOKIE_PATH });
    callback(null, state);
  }

  verify(req: Request, state: unknown, _meta: unknown, callback: VerifyCallback): void {
    const expected: unknown = req.cookies?.[COOKIE];
    req.res?.clearCookie(COOKIE, { path: COOKIE_PATH });
    const ok = typeof state === 'string' && typeof expected === 'string' && sameString(state, expected);
    callback(null, ok, ok ? undefined : { message: 'The sign-in state does not match: start again' });
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
