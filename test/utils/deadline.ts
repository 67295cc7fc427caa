/**
 * One time budget for a test's bounded waits: each wait gets at most its own cap and never more
 * than what is left before `reserveMs` of the end, so that a slow run still reaches its checks
 * and reports them instead of timing out.
 */
export function deadline(totalMs: number, reserveMs: number) {
  const end = Date.now() + totalMs;
  return {
    ms: (cap: number) => Math.max(0, Math.min(cap, end - reserveMs - Date.now())),
    left: () => end - Date.now(),
  };
}
