import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppProcess, killApp, spawnApp, stopApp, waitHealthy } from './utils/app-process';

const started: AppProcess[] = [];
afterAll(() => started.forEach(killApp));

/** Keeps `concurrency` keep-alive connections busy with GET /health until `stop()`; tallies the outcomes. */
function keepAliveLoad(base: string, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  let connectionErrors = 0;
  let running = true;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(`${base}/health`, { agent }, (res) => {
        statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
        res.resume();
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.on('error', () => {
        connectionErrors++;
        resolve();
      });
      req.end();
    });
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      await once();
      if (connectionErrors > 0) await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    statuses,
    errors: () => connectionErrors,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

describe('shutdown', () => {
  it('exits within 10 s of SIGTERM under keep-alive load, answering no 5xx and logging no error', async () => {
    const a = await spawnApp({ env: { DATABASE_URL: process.env.DATABASE_URL! } });
    started.push(a);
    await waitHealthy(a);
    const load = keepAliveLoad(a.url, 16);
    await new Promise((r) => setTimeout(r, 1_500));
    const before = load.statuses.get(200) ?? 0;
    expect(before).toBeGreaterThan(0);

    const stop = await stopApp(a);
    await load.stop();
    expect(stop.code).toBe(0);
    expect(stop.ms).toBeLessThan(10_000);
    expect([...load.statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(a.logLines(['error', 'fatal'])).toEqual([]);
    expect(a.stderr()).toBe('');
  }, 90_000);

  it('on Ctrl-C (SIGINT to the whole process group) stops the embedded database after the app, cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lifecycle-ctrl-c-'));
    chmodSync(dataDir, 0o755);
    try {
      const a = await spawnApp({ env: { DATA_DIR: dataDir }, detached: true });
      started.push(a);
      await waitHealthy(a, 90_000);
      const load = keepAliveLoad(a.url, 4);
      await new Promise((r) => setTimeout(r, 500));
      const t0 = Date.now();
      process.kill(-a.child.pid!, 'SIGINT');
      const { code } = await a.exited;
      const ms = Date.now() - t0;
      await load.stop();
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(a.logLines(['error', 'fatal'])).toEqual([]);
      expect(a.stderr()).toBe('');
      expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
