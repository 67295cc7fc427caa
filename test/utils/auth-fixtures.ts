import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/users/entities/user.entity';

/**
 * Inserts a user directly. Used instead of createTestUser, whose `lower($1)` beside a
 * varchar `$1` makes PostgreSQL refuse the statement ("inconsistent types deduced").
 */
export async function insertUser(
  app: INestApplication,
  fields: { email?: string; name?: string; role?: UserRole; referralCode?: string | null; passwordHash?: string | null; googleId?: string } = {},
): Promise<{ id: string; email: string }> {
  const email = fields.email ?? `user-${randomUUID().slice(0, 8)}@example.com`;
  const [row] = await app.get(DataSource).query(
    `INSERT INTO users (email, email_canonical, name, role, referral_code, password_hash, google_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [email, email.toLowerCase(), fields.name ?? 'Someone', fields.role ?? 'user', fields.referralCode ?? null, fields.passwordHash ?? null, fields.googleId ?? null],
  );
  return { id: row.id, email };
}
