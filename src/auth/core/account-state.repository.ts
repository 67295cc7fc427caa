import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserRole } from './user-role';

/** What a token is checked against: the account's role and token version while it is open. */
export interface AccountState {
  role: UserRole;
  tokenVersion: number;
}

/** Reads `users` for token checks; the ids are uuids already (checked with the token's claims). */
@Injectable()
export class AccountStateRepository {
  constructor(private readonly db: DataSource) {}

  /** The open accounts among `ids`; a closed or missing one is absent from the map. */
  async openAccounts(ids: string[]): Promise<Map<string, AccountState>> {
    const rows: Array<{ id: string; role: UserRole; token_version: number }> = await this.db.query(
      `SELECT id, role, token_version FROM users WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { role: r.role, tokenVersion: r.token_version }]));
  }
}
