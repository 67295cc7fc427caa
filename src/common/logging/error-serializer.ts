/** What is worth knowing of a failure, and nothing of its data (a query's parameters hold hashes and emails). */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  /** The SQLSTATE of a PostgreSQL error (`22P02`, `40001`…), or a Node error code. */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  cause?: SerializedError | unknown;
}

interface ErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
  driverError?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

export function serializeError(error: unknown, depth = 0): SerializedError | unknown {
  if (!(error instanceof Error)) return error;
  const fields = error as Error & ErrorFields;
  // TypeORM's QueryFailedError copies the pg fields onto itself, and keeps the original as driverError.
  const driver = (fields.driverError instanceof Error ? fields.driverError : fields) as ErrorFields;
  const out: SerializedError = { type: error.name, message: error.message, stack: error.stack };
  const code = text(fields.code) ?? text(driver.code);
  if (code) out.code = code;
  for (const key of ['constraint', 'table', 'column'] as const) {
    const value = text(driver[key]);
    if (value) out[key] = value;
  }
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}
