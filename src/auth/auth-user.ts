import { UserRole } from '../users/entities/user.entity';

/** Who a request acts for, as read from a verified access token. */
export interface AuthUser {
  id: string;
  role: UserRole;
}

export interface AccessTokenPayload {
  sub: string;
  role: UserRole;
}
