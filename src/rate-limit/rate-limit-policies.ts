/** Per client IP: how many calls a window allows before 429 (scaled by RATE_LIMIT_SCALE). */
export const RATE_LIMIT_POLICIES = {
  'sign-up': { points: 10, durationSeconds: 600 },
  verify: { points: 30, durationSeconds: 600 },
  resend: { points: 5, durationSeconds: 600 },
  login: { points: 20, durationSeconds: 600 },
  'short-link': { points: 120, durationSeconds: 60 },
} as const;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;
