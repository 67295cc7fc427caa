import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { DIST } from './run-node';

export interface AppInstance {
  url: string;
  port: number;
  child: ChildProcess;
  /** Still running: neither exited nor killed by a signal. */
  alive(): boolean;
  /** How it ended, once it has. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** The last part of what it wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** Its last `n` lines of output, long ones (logged objects) left out. */
  lastLines(n: number): string;
  /** Lines it logged at level error or fatal, and anything on stderr (kept whole, up to 1,000). */
  errors(): string[];
  /** Where its output is now, for `outputSince`. */
  mark(): number;
  /** What it wrote after `mark` (up to the kept length). */
  outputSince(mark: number): string;
  /** SIGKILLs it when still alive (after-all clean-up). */
  kill(): Promise<void>;
}

const KEEP_OUTPUT = 40_000;

/**
 * The compiled app (`dist/src/main.js`, built by `pretest`) as a real child process on
 * `databaseUrl`, resolved once `/health` answers 200.
 */
export async function startAppInstance(options: { databaseUrl: string; env?: Record<string, string>; startMs?: number }): Promise<AppInstance> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(DIST, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      JWT_SECRET: process.env.JWT_SECRET ?? 'test-secret-test-secret-test-secret-0123456789',
      PURCHASE_WEBHOOK_SECRET: process.env.PURCHASE_WEBHOOK_SECRET ?? 'test-webhook-secret-0123456789',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'referral-points-app-')),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let written = 0;
  const errors: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const keep = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    const text = d.toString();
    written += text.length;
    output += text;
    if (output.length > KEEP_OUTPUT * 2) output = output.slice(-KEEP_OUTPUT);
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop()!;
    for (const line of lines) {
      if (errors.length < 1_000 && line && (stream === 'stderr' || /"level":"(error|fatal)"/.test(line))) errors.push(line);
    }
  };
  child.stdout!.on('data', keep('stdout'));
  child.stderr!.on('data', keep('stderr'));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + (options.startMs ?? 60_000);
  for (;;) {
    if (!alive()) throw new Error(`the app exited during start-up:\n${tail(output, 20)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`the app did not answer /health within ${options.startMs ?? 60_000} ms:\n${tail(output, 20)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    child,
    alive,
    exit,
    output: () => output.slice(-KEEP_OUTPUT),
    lastLines: (n) => tail(output, n),
    errors: () => [...errors],
    mark: () => written,
    outputSince: (mark) => output.slice(Math.max(0, output.length - (written - mark))),
    kill: async () => {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}

function tail(output: string, lines: number): string {
  return output
    .split('\n')
    .filter((line) => line.length < 400)
    .slice(-lines)
    .join('\n');
}
