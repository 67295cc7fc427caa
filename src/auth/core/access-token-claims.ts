import { isUuid } from '../../common/uuid';
import { AccessTokenPayload } from './auth-user';

const ROLES = new Set(['user', 'admin']);

/**
 * The claims of a token whose signature checked out, or undefined when they are not ones this
 * service issues: a token without `exp` would never expire, and a `sub` that is not a uuid
 * must be a 401 before it reaches SQL.
 */
export function accessTokenClaims(payload: unknown): AccessTokenPayload | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { sub, role, ver, exp, iat } = payload as Record<string, unknown>;
  if (!isUuid(sub) || typeof role !== 'string' || !ROLES.has(role)) return undefined;
  if (!Number.isSafeInteger(ver) || (ver as number) < 0) return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  if (iat !== undefined && typeof iat !== 'number') return undefined;
  return { sub, role: role as AccessTokenPayload['role'], ver: ver as number, exp, iat: iat as number | undefined };
}
