import { isDatabaseOutage } from '../common/errors/outage';

/** One sentence that says what stopped start-up and what to do about it; never a stack. */
export function describeStartupFailure(error: unknown, context: { port: number; embedded: boolean }): string {
  const { code, message = String(error), syscall } = (error ?? {}) as { code?: string; message?: string; syscall?: string };
  if (code === 'EADDRINUSE') return `Port ${context.port} is already in use: stop the other process or set PORT to a free port.`;
  if (context.embedded && (code === 'EACCES' || code === 'EPERM' || /initdb|postgres exited|embedded PostgreSQL/i.test(message))) {
    return `The embedded PostgreSQL could not start (${oneLine(message)}): check that DATA_DIR is writable, or set DATABASE_URL to a PostgreSQL you run.`;
  }
  if (code === '28P01' || code === '28000') return `The database refused the credentials in DATABASE_URL (${oneLine(message)}): fix the user or password.`;
  if (code === '3D000') return `The database named in DATABASE_URL does not exist (${oneLine(message)}): create it or fix the URL.`;
  if (isDatabaseOutage(error)) return `The database is not reachable (${oneLine(message)}): start it, or fix the host and port in DATABASE_URL.`;
  const where = syscall ? ` (${syscall})` : '';
  return `Start-up failed${where}: ${oneLine(message)}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
