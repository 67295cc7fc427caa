import { Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { GuardedClient } from './guarded-client';

describe('GuardedClient', () => {
  const pools: Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
  });

  it('absorbs the error of a checked-out connection whose backend is terminated', async () => {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, Client: GuardedClient, max: 2 });
    pools.push(pool);
    pool.on('error', () => undefined);
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Checked out and between queries: pg-pool's idle listener is off, as inside a transaction.
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    const admin = await pool.connect();
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    admin.release();
    await ended;
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    client.release(new Error('terminated'));
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
