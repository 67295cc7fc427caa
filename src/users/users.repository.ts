import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity, UserRole } from './entities/user.entity';

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
  googleId: string | null;
  signupIp: string | null;
  signupDeviceId: string | null;
}

/** SQL over `users`. A plain class over a DataSource so the CLI can use it without the app. */
@Injectable()
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  findById(id: string, manager: EntityManager = this.db.manager): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).findOne({ where: { id } });
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

  /** Sets the role of the active user with this email; false when there is none. */
  async setRoleByEmail(email: string, role: UserRole): Promise<boolean> {
    const result = await this.db
      .getRepository(UserEntity)
      .createQueryBuilder()
      .update()
      .set({ role })
      .where('lower(email) = lower(:email)', { email: email.trim() })
      .andWhere('deleted_at IS NULL')
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
