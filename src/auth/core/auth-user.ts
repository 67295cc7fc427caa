import { UserRole } from './user-role';

/** Who a request acts for, as read from a verified access token. */
export interface AuthUser {
  id: string;
  role: UserRole;
}

/** What an access token carries: the account, and the role and token version it was issued for. */
export interface AccessTokenPayload {
  sub: string;
  role: UserRole;
  ver: number;
  iat?: number;
  exp: number;
}
