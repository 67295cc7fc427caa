import { Logger } from '@nestjs/common';

/**
 * One log line when a connection is lost and one when it is back, however many attempts or
 * errors lie between: a database restart must not flood the log.
 */
export class OutageLog {
  private since?: number;
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  failed(error: unknown): void {
    this.failures++;
    if (this.since !== undefined) return;
    this.since = Date.now();
    this.logger.warn({ msg: `${this.what} lost; retrying`, error: describe(error) });
  }

  recovered(): void {
    if (this.since === undefined) return;
    this.logger.log({ msg: `${this.what} back`, downForMs: Date.now() - this.since, failedAttempts: this.failures });
    this.since = undefined;
    this.failures = 0;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
