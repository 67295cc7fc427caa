import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { DIST } from './run-node';

export interface AppProcess {
  child: ChildProcess;
  port: number;
  base: string;
  stdout(): string;
  stderr(): string;
  /** Pino lines of the given levels (`error`, `fatal`, …) written so far. */
  logLines(levels: string[]): Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
}

interface SpawnOptions {
  env?: Record<string, string>;
  /** Folder holding `dist/src/main.js` (default: this checkout's build) and the working folder. */
  root?: string;
  port?: number;
  detached?: boolean;
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
      JWT_SECRET: process.env.JWT_SECRET!,
      PURCHASE_WEBHOOK_SECRET: process.env.PURCHASE_WEBHOOK_SECRET!,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    stdout: () => out,
    stderr: () => err,
    logLines: (levels) =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => levels.includes(String(line.level))),
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

/** Waits until /health answers 200; fails with the process's output when it exits or never does. */
export async function waitHealthy(app: AppProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!app.alive()) throw new Error(`the app exited (${app.child.exitCode ?? app.child.signalCode}): ${app.stderr()}${tail(app.stdout())}`);
    const ok = await fetch(`${app.base}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app did not become healthy within ${ms} ms: ${app.stderr()}${tail(app.stdout())}`);
}

/** Sends `signal` and resolves with how the process ended and how long that took. */
export async function stopApp(app: AppProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
  if (!app.alive()) return { code: app.child.exitCode, ms: 0 };
  const started = Date.now();
  app.child.kill(signal);
  const { code } = await app.exited;
  return { code, ms: Date.now() - started };
}

export function killApp(app: AppProcess): void {
  if (app.alive()) app.child.kill('SIGKILL');
}

function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}
