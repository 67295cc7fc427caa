import { QueryFailedError } from 'typeorm';

/** A 23505 from PostgreSQL, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string } | undefined;
  return driver?.code === '23505' && (constraint === undefined || driver.constraint === constraint);
}
