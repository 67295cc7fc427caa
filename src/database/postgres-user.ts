import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Who runs the embedded server: PostgreSQL refuses root, so as root it runs as the `postgres` user. */
export interface ServerAccount {
  uid?: number;
  gid?: number;
}

/** Where root keeps what the `postgres` user must reach when the project folder is closed to it. */
const ROOT_RUNTIME_DIR = '/var/lib/referral-points';

export function serverAccount(): ServerAccount {
  if (process.getuid?.() !== 0) return {};
  if (!idOf('-u')) {
    // Like the distributions' packages: a system account with its own group and no login.
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === undefined || gid === undefined) throw new Error('the embedded PostgreSQL needs a "postgres" user to run as when started by root, and none could be created');
  return { uid, gid };
}

function idOf(flag: '-u' | '-g'): number | undefined {
  const run = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  return run.status === 0 ? Number(run.stdout.trim()) : undefined;
}

/** Whether `account` can enter `dir` (every folder on the way included), checked by the kernel itself. */
export function canEnter(account: ServerAccount, dir: string): boolean {
  if (account.uid === undefined) return true;
  return spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { uid: account.uid, gid: account.gid, stdio: 'ignore' }).status === 0;
}

/**
 * The PostgreSQL binaries (bin, lib, share) where `account` can run them: the installed package when
 * it can reach it, else a root-owned copy under /var/lib, made once per package version.
 */
export function reachableBinaries(account: ServerAccount, nativeDir: string, version: string): string {
  if (canEnter(account, join(nativeDir, 'bin'))) return nativeDir;
  const target = join(ROOT_RUNTIME_DIR, `postgres-${version}`);
  if (existsSync(join(target, '.complete'))) return target;
  mkdirSync(ROOT_RUNTIME_DIR, { recursive: true, mode: 0o755 });
  // Copied beside the target and renamed into place, so instances starting together never run a half copy.
  const partial = `${target}.${process.pid}`;
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(partial, '.complete'), version);
  try {
    renameSync(partial, target);
  } catch {
    rmSync(partial, { recursive: true, force: true });
  }
  return target;
}

/**
 * The cluster folder: `<dataDir>/postgres` when `account` can reach it, else a folder under /var/lib
 * named after the data folder's real path (the same one on every start), noted in `<dataDir>`.
 */
export function reachableClusterDir(account: ServerAccount, dataDir: string): string {
  const local = join(dataDir, 'postgres');
  if (canEnter(account, dataDir)) return local;
  const id = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const moved = join(ROOT_RUNTIME_DIR, `data-${id}`, 'postgres');
  mkdirSync(dirname(moved), { recursive: true, mode: 0o755 });
  const note = join(dataDir, 'postgres-location');
  if (!existsSync(note) || readFileSync(note, 'utf8').trim() !== moved) {
    writeFileSync(note, `${moved}\n`);
  }
  return moved;
}
