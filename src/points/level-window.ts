/*
 * LEVEL_WINDOW_MONTHS in time: the window that qualifies a level, and the daily evaluation that
 * moves it. Months are calendar months in UTC; a day past the end of a shorter month clamps to its
 * last day (31 March less one month is 28 or 29 February), as PostgreSQL's interval arithmetic does.
 */

/** The daily evaluation's schedule (UTC): after the expiry job, so expired points are gone first. */
export const LEVEL_EVALUATION_SCHEDULE = '50 0 * * *';
const EVALUATION_MINUTE_OF_DAY = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

export function addMonths(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(at.getTime());
  d.setUTCFullYear(y, m, Math.min(at.getUTCDate(), lastDay));
  return d;
}

/** Where the window of `months` ending at `now` starts: points earned after it qualify. */
export function windowStart(now: Date, months: number): Date {
  return addMonths(now, -months);
}

/** The first daily evaluation strictly after `after`. */
export function nextEvaluation(after: Date): Date {
  const day = Math.floor(after.getTime() / DAY_MS) * DAY_MS;
  const today = day + EVALUATION_MINUTE_OF_DAY * 60_000;
  return new Date(today > after.getTime() ? today : today + DAY_MS);
}

/** The first evaluation whose window no longer holds points earned at `earnedAt`. */
export function evaluationDropping(earnedAt: Date, months: number): Date {
  let at = nextEvaluation(new Date(addMonths(earnedAt, months).getTime() - 1));
  while (windowStart(at, months) < earnedAt) at = new Date(at.getTime() + DAY_MS);
  return at;
}
