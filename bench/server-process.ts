import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Turns CLICK_RECORDING on or off in the running app; resolves once it took effect. */
  setClickRecording(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Forks bench/server.js with `env` on top of the bench environment; resolves once it listens. */
export function startServer(env: Record<string, string>): Promise<ServerProcess> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there, for finding where time goes.
  const profileDir = process.env.BENCH_CPU_PROF;
  const child = fork(join(__dirname, 'server.js'), [], {
    env: { ...process.env, ...env },
    execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bench server did not start in 60 s\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench server exited with ${code}\n${stderr}`));
    });
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        setClickRecording: (on) => ask(child, { clickRecording: on }),
        stop: () => stopChild(child),
      });
    });
  });
}

function ask(child: ChildProcess, message: object): Promise<void> {
  return new Promise((resolve) => {
    child.once('message', () => resolve());
    child.send(message);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send('stop');
  });
}
