import { isDatabaseOutage } from '../common/errors/outage';

export interface WaitOptions {
  /** How long to keep trying while the database is unreachable; 0 fails at the first refusal. */
  waitMs?: number;
  /** Pause between tries. */
  intervalMs?: number;
  /** Called once per failed try that will be retried. */
  onRetry?: (attempt: number, error: unknown, nextInMs: number) => void;
}

/**
 * Runs `connect` until it succeeds, retrying only while the database is unreachable (refused,
 * starting up, shutting down); any other failure (bad password, missing database) is final.
 */
export async function connectWhenReachable<T>(connect: () => Promise<T>, options: WaitOptions = {}): Promise<T> {
  const { waitMs = 0, intervalMs = 2_000, onRetry } = options;
  const deadline = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (!isDatabaseOutage(error) || Date.now() + intervalMs > deadline) throw error;
      onRetry?.(attempt, error, intervalMs);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
