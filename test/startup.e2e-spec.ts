import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  it('ships the dashboard pages and assets beside the compiled controller', () => {
    for (const file of ['points.html', 'sign-up.html', 'styles.css', 'api.js', 'points.js', 'sign-up.js']) {
      expect(existsSync(join(DIST, 'dashboard', 'public', file)), file).toBe(true);
    }
  });
});
