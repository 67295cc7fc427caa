import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredKey {
  requestHash: string;
  status: 'in-progress' | 'completed';
  responseStatus: number | null;
  responseBody: unknown;
  stale: boolean;
}

/** Rows of idempotency_keys, each statement on its own (autocommit), apart from the business transaction. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly db: DataSource) {}

  /** True when this call now owns the key. */
  async claim(caller: string, key: string, requestHash: string): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [caller, key, requestHash],
    );
    return rows.length === 1;
  }

  async find(caller: string, key: string, staleAfterSeconds: number): Promise<StoredKey | null> {
    const [row] = await this.db.query(
      `SELECT request_hash, status, response_status, response_body,
              status = 'in-progress' AND created_at < now() - make_interval(secs => $3) AS stale
       FROM idempotency_keys WHERE caller = $1 AND key = $2`,
      [caller, key, staleAfterSeconds],
    );
    if (!row) return null;
    return {
      requestHash: row.request_hash,
      status: row.status,
      responseStatus: row.response_status,
      responseBody: row.response_body,
      stale: row.stale,
    };
  }

  /** Takes over a key whose first request never finished (its instance died); true when taken. */
  async takeOver(caller: string, key: string, requestHash: string, staleAfterSeconds: number): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [, affected] = await this.db.query(
      `UPDATE idempotency_keys SET created_at = now()
       WHERE caller = $1 AND key = $2 AND request_hash = $3 AND status = 'in-progress'
         AND created_at < now() - make_interval(secs => $4)
       RETURNING 1`,
      [caller, key, requestHash, staleAfterSeconds],
    );
    return affected === 1;
  }

  async complete(caller: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $3, response_body = $4::jsonb, completed_at = now()
       WHERE caller = $1 AND key = $2`,
      [caller, key, status, JSON.stringify(body ?? null)],
    );
  }

  async release(caller: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_keys WHERE caller = $1 AND key = $2 AND status = 'in-progress'`, [caller, key]);
  }

  /** Forgets keys older than the retention; returns how many went. */
  async deleteOlderThan(hours: number): Promise<number> {
    const [, affected] = await this.db.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
    return affected;
  }
}
