import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const DIST = join(__dirname, '..', '..', 'dist', 'src');

/** Runs a compiled entry point (built by `pretest`) with exactly the given environment. */
export function runNode(script: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(DIST, script), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
