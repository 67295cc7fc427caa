import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerAccount } from './postgres-user';

export interface ServerFiles {
  /** The folder holding bin/, lib/ and share/. */
  binaries: string;
  clusterDir: string;
  account: ServerAccount;
  onLog: (message: string) => void;
}

/** Creates a cluster in an empty `clusterDir`, owned by the account that will run it. */
export async function initCluster(files: ServerFiles, user: string, password: string): Promise<void> {
  mkdirSync(files.clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(tmpdir(), `pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (files.account.uid !== undefined) {
    chownSync(files.clusterDir, files.account.uid, files.account.gid!);
    chownSync(passwordFile, files.account.uid, files.account.gid!);
  }
  try {
    const args = [`--pgdata=${files.clusterDir}`, '--auth=password', `--username=${user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8'];
    const { code, output } = await run(files, 'initdb', args);
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${output.trim()}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * Starts the server and resolves once it accepts connections. It runs in its own process group,
 * so a Ctrl-C in the terminal reaches only the app, which stops it last, after its own connections.
 */
export async function startServer(files: ServerFiles, port: number, settings: Record<string, string> = {}): Promise<ChildProcess> {
  const flags = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const child = spawnAs(files, 'postgres', ['-D', files.clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...flags], true);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      files.onLog(text);
      output = (output + text).slice(-4_000);
      if (text.includes('ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited during start-up (${signal ?? `exit code ${code}`}): ${output.trim()}`)));
  });
  child.removeAllListeners('exit');
  // The server outlives nothing: if the app exits without stopping it, it is told to stop.
  const onExit = () => child.exitCode === null && child.kill('SIGINT');
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  return child;
}

/** Fast shutdown (SIGINT: sessions are ended, data is safe); immediate shutdown if that hangs. */
export async function stopServer(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** The port of a server already running on `clusterDir` (another instance, or the CLI's), if any. */
export function runningServerPort(clusterDir: string): number | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  // After a reboot the file's pid may belong to another program: then no server is there, and
  // PostgreSQL clears its stale lock file itself when it starts.
  if (!isPostgres(Number(pid))) return undefined;
  return Number(port) || undefined;
}

function isPostgres(pid: number): boolean {
  try {
    return /postgres/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
  } catch {
    // No /proc (not Linux): trust the live pid, as before.
    return process.platform !== 'linux';
  }
}

function run(files: ServerFiles, program: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(files, program, args, false);
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      files.onLog(text);
      output += text;
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function spawnAs(files: ServerFiles, program: string, args: string[], detached: boolean): ChildProcess {
  return spawn(join(files.binaries, 'bin', program), args, {
    uid: files.account.uid,
    gid: files.account.gid,
    detached,
    // The server's own messages in English: start-up waits for one of them.
    env: { ...process.env, LC_MESSAGES: 'C' },
    // A folder the server's user can enter, whatever folder the app was started from.
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
