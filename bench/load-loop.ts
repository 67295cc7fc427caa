export interface LoopResult {
  ops: number;
  errors: number;
  seconds: number;
  perSecond: number;
  firstError?: string;
}

/** `concurrency` callers each running `op` back to back until `seconds` have passed. */
export async function runLoop(concurrency: number, seconds: number, op: (worker: number, i: number) => Promise<void>): Promise<LoopResult> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        try {
          await op(worker, i);
          ops++;
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ops, errors, seconds: elapsed, perSecond: ops / elapsed, firstError };
}
