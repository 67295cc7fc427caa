import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runningServerPort } from './postgres-server';

describe('runningServerPort', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pid-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pidFile = (pid: number, port: number) => writeFileSync(join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1700000000\n${port}\n`);

  it('finds no server when the lock file names a live process that is not PostgreSQL (a stale file after a reboot)', () => {
    pidFile(process.pid, 54321);
    expect(runningServerPort(dir)).toBeUndefined();
  });

  it('finds no server when the process is gone', () => {
    pidFile(2 ** 22 + 1, 54321);
    expect(runningServerPort(dir)).toBeUndefined();
  });
});
