import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webAppDir } from '../src/dashboard/web-app-files';
import { DIST, runNode } from './utils/run-node';

describe('start-up with bad configuration', () => {
  it('stops before doing anything and names the variable', async () => {
    const run = await runNode('main.js', [], { PORT: 'not-a-port', DATABASE_URL: process.env.DATABASE_URL! });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT');
    expect(run.stdout).not.toContain('listening');
  });

  it('names a bad LOG_LEVEL like any other variable', async () => {
    const run = await runNode('main.js', [], { LOG_LEVEL: 'verbose', DATABASE_URL: process.env.DATABASE_URL! });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('LOG_LEVEL');
    expect(run.stderr).not.toContain('custom levels');
  });

  it('refuses production without JWT_SECRET', async () => {
    const run = await runNode('main.js', [], { NODE_ENV: 'production', DATABASE_URL: process.env.DATABASE_URL! });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/JWT_SECRET is required when NODE_ENV=production/);
  });
});

describe('the build', () => {
  it('ships the web app where the compiled controller looks for it, with every asset its page names', () => {
    const dir = webAppDir(join(DIST, 'dashboard'));
    expect(dir).toBe(join(DIST, '..', 'web'));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const assets = [...html.matchAll(/\/dashboard\/assets\/([\w.-]+)/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const file of assets) expect(existsSync(join(dir, 'assets', file)), file).toBe(true);
  });
});
