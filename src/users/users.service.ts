import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UserDto } from './dto/user.dto';
import { UserEntity } from './entities/user.entity';
import { ListCursor } from '../common/pagination/list-cursor';
import { NewUser, UserSearchRow, UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** An active user; soft-deleted users are not found. */
  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** Closed accounts included, anonymised as closing left them. */
  findManyByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.findByIds(ids);
  }

  /** Active users newest first: by email prefix (its % and _ taken literally) or exact id, else all. */
  search(opts: { emailPrefix?: string; id?: string; limit: number; after?: ListCursor }): Promise<UserSearchRow[]> {
    return this.users.search(opts);
  }

  findActiveByEmail(email: string, options: { withPassword?: boolean; manager?: EntityManager } = {}): Promise<UserEntity | null> {
    return this.users.findActiveByEmail(email, options);
  }

  /** By Google subject id, soft-deleted users included (the id stays unique after deletion). */
  findByGoogleId(manager: EntityManager, googleId: string): Promise<UserEntity | null> {
    return this.users.findByGoogleId(googleId, manager);
  }

  /** Inserts a user inside the caller's transaction (sign-up verification, Google sign-up). */
  create(manager: EntityManager, user: NewUser): Promise<UserEntity> {
    return this.users.insert(manager, user);
  }

  linkGoogle(manager: EntityManager, userId: string, googleId: string): Promise<void> {
    return this.users.linkGoogle(manager, userId, googleId);
  }

  resetPassword(manager: EntityManager, userId: string, passwordHash: string): Promise<UserEntity> {
    return this.users.resetPassword(manager, userId, passwordHash);
  }

  close(manager: EntityManager, userId: string): Promise<boolean> {
    return this.users.close(manager, userId);
  }

  toDto(user: UserEntity): UserDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      referralCode: user.referralCode,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
