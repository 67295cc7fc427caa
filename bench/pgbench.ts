import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PgbenchScript {
  name: string;
  script: string;
  weight?: number;
}

export interface PgbenchRun {
  url: string;
  scripts: PgbenchScript[];
  defines: Record<string, string>;
  clients: number;
  seconds: number;
  maxTries: number;
}

export interface PgbenchResult {
  tps: number;
  processed: number;
  failed: number;
  serializationFailures: number;
  deadlockFailures: number;
  retried: number;
  retries: number;
  latencyMs: number;
}

const PGBENCH = process.env.PGBENCH ?? 'pgbench';

/** Fails with a clear message when pgbench (from the PostgreSQL client tools, 15 or newer) is missing. */
export async function pgbenchVersion(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(PGBENCH, ['--version']);
    const version = stdout.trim();
    const major = Number(/(\d+)(\.\d+)?/.exec(version)?.[1]);
    if (!(major >= 15)) throw new Error(`${version} is too old: --max-tries and --failures-detailed need pgbench 15 or newer`);
    return version;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`pgbench was not found (looked for "${PGBENCH}"): install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or set PGBENCH to its path`);
    }
    throw error;
  }
}

/** Runs pgbench with extended protocol (one unnamed statement per query, as node-postgres does). */
export async function runPgbench(run: PgbenchRun): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  const args = ['-n', '-M', 'extended', '-c', String(run.clients), '-j', String(Math.min(run.clients, 2)), '-T', String(run.seconds)];
  args.push('--max-tries', String(run.maxTries), '--failures-detailed');
  for (const s of run.scripts) {
    const file = join(dir, `${s.name}.sql`);
    writeFileSync(file, s.script);
    args.push('-f', `${file}@${s.weight ?? 1}`);
  }
  for (const [name, value] of Object.entries(run.defines)) args.push('-D', `${name}=${value}`);
  args.push(run.url);
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(PGBENCH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err = (err + c).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ stdout: out, stderr: err, code: exitCode }));
  });
  if (code !== 0) throw new Error(`pgbench exited with ${code}:\n${stderr.slice(-3000)}\n${stdout.slice(-2000)}`);
  const num = (re: RegExp) => {
    const m = re.exec(stdout);
    return m ? Number(m[1]) : 0;
  };
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!tps) throw new Error(`could not read pgbench's output:\n${stdout}\n${stderr.slice(-2000)}`);
  return {
    tps: Number(tps[1]),
    processed: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/),
    serializationFailures: num(/number of serialization failures: (\d+)/),
    deadlockFailures: num(/number of deadlock failures: (\d+)/),
    retried: num(/number of transactions retried: (\d+)/),
    retries: num(/total number of retries: (\d+)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
  };
}
