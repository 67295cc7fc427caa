/**
 * The base of every module's exception: a stable `code` from API.md and the HTTP status
 * it maps to. Each module declares its codes and their statuses in one table.
 */
export class AppException extends Error {
  /** Field messages of a validation failure: sent as `message` when present. */
  details?: string[];

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Declares a module's exception from its code → status table, so the mapping lives in one place. */
export function defineException<C extends string>(name: string, statuses: Record<C, number>) {
  const Exception = class extends AppException {
    constructor(code: C, message: string, headers?: Record<string, string>) {
      super(code, statuses[code], message, headers);
    }
  };
  Object.defineProperty(Exception, 'name', { value: name });
  return Exception;
}
