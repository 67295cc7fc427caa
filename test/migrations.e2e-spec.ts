import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrations } from '../src/database/migrations';
import { databaseUrl } from '../src/database/embedded-database';
import { runNode } from './utils/run-node';

async function tables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('migrations through the CLI', () => {
  const name = `${inject('pgPrefix')}empty_${Date.now()}`;
  const admin = new Client({ connectionString: inject('pgAdminUrl') });
  const url = databaseUrl(inject('pgAdminUrl'), name);
  const cli = (...args: string[]) => runNode('cli/main.js', args, { DATABASE_URL: url });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('run on an empty database, revert fully, and run again', async () => {
    const first = await cli('migration:run');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.match(/^applied /gm)?.length).toBe(migrations.length);
    expect(await tables(url)).toEqual(expect.arrayContaining(['users', 'referrals', 'point_transactions', 'level_configs']));

    const again = await cli('migration:run');
    expect(again.stdout).toContain('no pending migrations');

    const revert = await cli('migration:revert', '--all');
    expect(revert.code).toBe(0);
    expect(revert.stdout).toContain(`reverted ${migrations.length} migration(s)`);
    expect(await tables(url)).toEqual(['typeorm_migrations']);

    const rerun = await cli('migration:run');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout.match(/^applied /gm)?.length).toBe(migrations.length);
  });

  it('seeds the level tiers idempotently', async () => {
    await cli('migration:run');
    const first = await cli('seed:levels');
    const second = await cli('seed:levels');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('level tiers already up to date');
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`SELECT level, min_points::int AS "minPoints" FROM level_configs ORDER BY level`);
    await client.end();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0]).toEqual({ level: 1, minPoints: 0 });
  });

  it('exits non-zero with a message for an unknown command', async () => {
    const run = await cli('no:such-command');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "no:such-command"');
  });

  it('exits non-zero with a message when the database cannot be reached', async () => {
    const run = await runNode('cli/main.js', ['migration:run'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: /);
  });
});
