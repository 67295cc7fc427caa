import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TokenService } from '../../src/auth/core/token.service';
import { UserRole } from '../../src/users/entities/user.entity';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  token: string;
}

/** Inserts a user directly (no sign-up flow) and signs an access token for it. */
export async function createTestUser(
  app: INestApplication,
  fields: {
    email?: string;
    name?: string;
    role?: UserRole;
    referralCode?: string | null;
    passwordHash?: string | null;
    googleId?: string | null;
  } = {},
): Promise<TestUser> {
  const email = fields.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const name = fields.name ?? `User ${email.split('@')[0]}`;
  const role = fields.role ?? 'user';
  const [row] = await app.get(DataSource).query(
    `INSERT INTO users (email, name, role, referral_code, password_hash, google_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [email, name, role, fields.referralCode ?? null, fields.passwordHash ?? null, fields.googleId ?? null],
  );
  const token = app.get(TokenService).sign({ id: row.id, role });
  return { id: row.id, email, name, role, token };
}

/** The header that signs a request in as `user`. */
export function auth(user: TestUser): { Authorization: string } {
  return { Authorization: `Bearer ${user.token}` };
}
