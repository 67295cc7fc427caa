import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { freePort } from '../../src/database/embedded-database';
import { DIST } from './run-node';
import { until } from './wait';

/** The compiled app (`pretest` builds it) running as a process of its own. */
export interface AppProcess {
  name: string;
  port: number;
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

/** A socket.io client that reconnects by itself, with every event it received. */
export interface SocketListener {
  socket: Socket;
  events: Array<[string, { transactionId?: string; at?: string }]>;
}

export async function startAppProcess(name: string, env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(DIST, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      JWT_SECRET: process.env.JWT_SECRET!,
      PURCHASE_WEBHOOK_SECRET: process.env.PURCHASE_WEBHOOK_SECRET!,
      LOG_LEVEL: 'info',
      DATA_DIR: mkdtempSync(join(tmpdir(), `app-${name}-`)),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const app: AppProcess = { name, port, child, stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (app.stdout += d));
  child.stderr!.on('data', (d) => (app.stderr += d));
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`app ${name} exited: ${app.stderr}`);
      return fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    },
    (ok) => ok,
    60_000,
  );
  return app;
}

export async function stopAppProcess(app: AppProcess): Promise<void> {
  if (!isAlive(app)) return;
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export const isAlive = (app: AppProcess) => app.child.exitCode === null && app.child.signalCode === null;

/** How many log lines of `app` contain `text`. */
export const logLines = (app: AppProcess, text: string) => app.stdout.split('\n').filter((line) => line.includes(text)).length;

const PASSWORD = 'password-123';

/** Inserts a user that can log in with the test password; its id. */
export async function insertLoginUser(databaseUrl: string, role: 'admin' | 'user'): Promise<string> {
  const id = randomUUID();
  const hash = await new PasswordHasher().hash(PASSWORD);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)`, [
      id, `${id}@processes.example.com`, role, role, hash,
    ]);
  } finally {
    await client.end();
  }
  return id;
}

export async function login(app: AppProcess, userId: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `${userId}@processes.example.com`, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** Connects to `app` and waits for the resync that every connect brings. */
export async function listen(app: AppProcess, token: string): Promise<SocketListener> {
  const socket = io(`http://127.0.0.1:${app.port}`, { auth: { token }, transports: ['websocket'], forceNew: true, reconnectionDelay: 100 });
  const listener: SocketListener = { socket, events: [] };
  socket.onAny((event, payload) => listener.events.push([event, payload]));
  await until(() => listener.events.some(([e]) => e === 'resync'), (ok) => ok, 10_000);
  return listener;
}

export const resyncCount = (l: SocketListener) => l.events.filter(([e]) => e === 'resync').length;

/** One admin grant of a point through `app`; its transaction id, or null when it was not taken. */
export async function grantPoint(app: AppProcess, adminToken: string, userId: string): Promise<string | null> {
  const res = await fetch(`http://127.0.0.1:${app.port}/api/points/admin/add`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ userId, amount: 1, reason: 'fault test' }),
  }).catch(() => null);
  if (res?.status !== 201) return null;
  return ((await res.json()) as { transaction: { id: string } }).transaction.id;
}

/** A change made through each app reaches the socket on every other one. */
export async function eventsFlowBetween(apps: AppProcess[], listeners: SocketListener[], adminToken: string, userId: string): Promise<void> {
  for (let from = 0; from < apps.length; from++) {
    const id = await until(() => grantPoint(apps[from], adminToken, userId), (tx) => tx !== null, 30_000);
    for (let to = 0; to < listeners.length; to++) {
      if (to === from) continue;
      await until(() => listeners[to].events.some(([e, p]) => e === 'points-updated' && p.transactionId === id), (ok) => ok, 10_000);
    }
  }
}
