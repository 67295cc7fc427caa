import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { PasswordHasher } from '../../src/auth/accounts/password-hasher';
import { AppProcess } from './app-process';
import { until } from './wait';

/** A socket.io client that reconnects by itself, with every event it received. */
export interface SocketListener {
  socket: Socket;
  events: Array<[string, { transactionId?: string; at?: string }]>;
}

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
