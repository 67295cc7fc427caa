import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { DIST } from './run-node';

/** The compiled app (`dist/src/main.js`, built by `pretest`) running as a process of its own. */
export interface AppProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Pino lines of the given levels (`error`, `fatal`, …) written so far. */
  logLines(levels: string[]): Array<Record<string, unknown>>;
  /** How many lines of stdout contain `text`. */
  countLines(text: string): number;
  /** Lines it logged at level error or fatal, and anything on stderr (up to 1,000). */
  errors(): string[];
  /** Where its output (stdout and stderr together) is now, for `outputSince`. */
  mark(): number;
  outputSince(mark: number): string;
  /** Its last `n` lines of output, long ones (logged objects) left out. */
  lastLines(n: number): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Still running: neither exited nor killed by a signal. */
  alive(): boolean;
  /** SIGKILLs it when still alive and waits for the exit (after-all clean-up). */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /** On top of NODE_ENV=test, PORT, the secrets and LOG_LEVEL=info. */
  env?: Record<string, string>;
  /** Folder holding `dist/src/main.js` (default: this checkout's build) and the working folder. */
  root?: string;
  port?: number;
  detached?: boolean;
  /** A DATA_DIR of its own in a new temp folder with this prefix (unless env names one). */
  tempDataDir?: string;
}

/** Starts the compiled service as a real process, with only the variables a test names. */
export async function spawnApp(options: SpawnOptions = {}): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const main = options.root ? join(options.root, 'dist', 'src', 'main.js') : join(DIST, 'main.js');
  const child = spawn(process.execPath, [main], {
    cwd: options.root,
    detached: options.detached,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      JWT_SECRET: process.env.JWT_SECRET ?? 'test-secret-test-secret-test-secret-0123456789',
      PURCHASE_WEBHOOK_SECRET: process.env.PURCHASE_WEBHOOK_SECRET ?? 'test-webhook-secret-0123456789',
      LOG_LEVEL: 'info',
      ...(options.tempDataDir ? { DATA_DIR: mkdtempSync(join(tmpdir(), options.tempDataDir)) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let output = '';
  const errors: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const keep = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    const text = d.toString();
    if (stream === 'stdout') out += text;
    else err += text;
    output += text;
    const lines = (partial[stream] + text).split('\n');
    partial[stream] = lines.pop()!;
    for (const line of lines) {
      if (errors.length < 1_000 && line && (stream === 'stderr' || /"level":"(error|fatal)"/.test(line))) errors.push(line);
    }
  };
  child.stdout!.on('data', keep('stdout'));
  child.stderr!.on('data', keep('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    logLines: (levels) =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => levels.includes(String(line.level))),
    countLines: (text) => out.split('\n').filter((line) => line.includes(text)).length,
    errors: () => [...errors],
    mark: () => output.length,
    outputSince: (mark) => output.slice(mark),
    lastLines: (n) => tail(output, n),
    exited,
    alive,
    kill: async () => {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until /health answers 200; fails with the process's output when it exits or never does. */
export async function waitHealthy(app: AppProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!app.alive()) throw new Error(`the app exited (${app.child.exitCode ?? app.child.signalCode}):\n${app.lastLines(20)}`);
    const ok = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app did not become healthy within ${ms} ms:\n${app.lastLines(20)}`);
}

/** spawnApp, resolved once /health answers 200; killed when it never does. */
export async function startApp(options: SpawnOptions & { startMs?: number } = {}): Promise<AppProcess> {
  const app = await spawnApp(options);
  try {
    await waitHealthy(app, options.startMs);
  } catch (error) {
    await app.kill();
    throw error;
  }
  return app;
}

/**
 * Sends `signal` and resolves with how the process ended and how long that took; with
 * `killAfterMs`, SIGKILLs it when it has not exited by then.
 */
export async function stopApp(app: AppProcess, signal: NodeJS.Signals = 'SIGTERM', killAfterMs?: number): Promise<{ code: number | null; ms: number }> {
  if (!app.alive()) return { code: app.child.exitCode, ms: 0 };
  const started = Date.now();
  app.child.kill(signal);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => app.child.kill('SIGKILL'), killAfterMs);
  const { code } = await app.exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - started };
}

export function killApp(app: AppProcess): void {
  if (app.alive()) app.child.kill('SIGKILL');
}

function tail(output: string, lines: number): string {
  return output
    .split('\n')
    .filter((line) => line.length < 400)
    .slice(-lines)
    .join('\n');
}
