import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { cursorTimeSql, ListCursor } from '../common/pagination/list-cursor';
import { UserEntity, UserRole } from './entities/user.entity';

export interface UserSearchRow {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  cursorAt: string;
}

/** `prefix` as a LIKE pattern matching itself literally, then anything: its % and _ match only themselves. */
export function emailPrefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
  googleId: string | null;
  signupIp: string | null;
  signupDeviceId: string | null;
}

/** SQL over `users`. A plain class over a DataSource so the CLI can use it without the app. */
export type SetCodeResult = 'set' | 'unchanged' | 'missing';

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  findById(id: string, manager: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { id } });
  }

  /** Closed accounts included (anonymised): for showing who someone was. */
  findByIds(ids: string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.getRepository(UserEntity).find({ where: { id: In(ids) }, withDeleted: true });
  }

  /**
   * Active users, newest first, whose email starts with `emailPrefix` (case-insensitively, off
   * users_email_prefix_idx) or whose id is `id`; every active user when neither is given.
   */
  async search(opts: { emailPrefix?: string; id?: string; limit: number; after?: ListCursor }): Promise<UserSearchRow[]> {
    const params: unknown[] = [opts.limit];
    const param = (value: unknown) => `$${params.push(value)}`;
    const matches: string[] = [];
    if (opts.emailPrefix !== undefined) matches.push(`lower(email) LIKE lower(${param(emailPrefixPattern(opts.emailPrefix))}) ESCAPE '\\'`);
    if (opts.id !== undefined) matches.push(`id = ${param(opts.id)}::uuid`);
    const where = ['deleted_at IS NULL'];
    if (matches.length > 0) where.push(`(${matches.join(' OR ')})`);
    if (opts.after) where.push(`(created_at, id) < (${param(opts.after.createdAt)}::timestamptz, ${param(opts.after.id)}::uuid)`);
    const rows = await this.db.query(
      `SELECT id, email, name, role, created_at, ${cursorTimeSql('created_at')} AS cursor_at
         FROM users WHERE ${where.join(' AND ')}
        ORDER BY created_at DESC, id DESC
        LIMIT $1`,
      params,
    );
    return rows.map((r: Record<string, any>) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      createdAt: new Date(r.created_at),
      cursorAt: r.cursor_at,
    }));
  }

  /** An active (not soft-deleted) user by email, case-insensitively; with the password hash when asked. */
  findActiveByEmail(email: string, options: { withPassword?: boolean; manager?: EntityManager } = {}): Promise<UserEntity | null> {
    const query = (options.manager ?? this.db.manager)
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email });
    if (options.withPassword) query.addSelect('u.passwordHash');
    return query.getOne();
  }

  findByGoogleId(googleId: string, manager: EntityManager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { googleId }, withDeleted: true });
  }

  async insert(manager: EntityManager, user: NewUser): Promise<UserEntity> {
    const repo = manager.getRepository(UserEntity);
    const { identifiers } = await repo.insert(user);
    return repo.findOneOrFail({ where: { id: identifiers[0].id as string } });
  }

  async linkGoogle(manager: EntityManager, userId: string, googleId: string): Promise<void> {
    await manager.getRepository(UserEntity).update({ id: userId }, { googleId });
  }

  /** Sets a new password and revokes every token issued before; the updated user. */
  async resetPassword(manager: EntityManager, userId: string, passwordHash: string): Promise<UserEntity> {
    await manager.query(
      `UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [userId, passwordHash],
    );
    return manager.getRepository(UserEntity).findOneOrFail({ where: { id: userId } });
  }

  /**
   * Closes the account: soft-deleted, identity anonymised, sign-in means and the referral code
   * gone, tokens revoked. Balances and the ledger stay as they are. False when it was not open.
   */
  async close(manager: EntityManager, userId: string): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE users SET deleted_at = now(), updated_at = now(), token_version = token_version + 1,
              email = 'deleted-' || id || '@deleted.invalid', name = 'Deleted user',
              password_hash = NULL, google_id = NULL, referral_code = NULL, signup_ip = NULL, signup_device_id = NULL
        WHERE id = $1 AND deleted_at IS NULL`,
      [userId],
    )) as [unknown, number];
    return affected > 0;
  }

  /** Sets the role of the active user with this email: its id and the role it had; null when there is none. */
  async setRoleByEmail(
    email: string,
    role: UserRole,
    manager: EntityManager = this.db.manager,
  ): Promise<{ id: string; previousRole: UserRole } | null> {
    const [[row]] = await manager.query(
      `UPDATE users u SET role = $2, updated_at = now()
         FROM users previous
        WHERE previous.id = u.id AND lower(u.email) = lower($1) AND u.deleted_at IS NULL
        RETURNING u.id, previous.role AS previous_role`,
      [email.trim(), role],
    );
    return row ? { id: row.id, previousRole: row.previous_role } : null;
  }

  async activeAdminIds(manager: EntityManager = this.db.manager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE role = 'admin' AND deleted_at IS NULL`);
    return rows.map((r) => r.id);
  }

  /** Records who referred the user, once: false when the user is missing or already attributed. */
  async setReferredBy(manager: EntityManager, userId: string, referrerId: string): Promise<boolean> {
    const [rows] = await manager.query(
      `UPDATE users SET referred_by_id = $2, updated_at = now() WHERE id = $1 AND referred_by_id IS NULL RETURNING id`,
      [userId, referrerId],
    );
    return rows.length > 0;
  }

  /** Throws a 23505 QueryFailedError when another user holds the code. */
  async setReferralCode(userId: string, code: string): Promise<SetCodeResult> {
    const [rows] = await this.db.query(
      `UPDATE users SET referral_code = $2, updated_at = now()
        WHERE id = $1 AND deleted_at IS NULL AND referral_code IS DISTINCT FROM $2 RETURNING id`,
      [userId, code],
    );
    if (rows.length > 0) return 'set';
    const [exists] = await this.db.query(`SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL`, [userId]);
    return exists ? 'unchanged' : 'missing';
  }
}
