/** How many calls a window allows before 429 (scaled by RATE_LIMIT_SCALE). Per client IP unless noted. */
export const RATE_LIMIT_POLICIES = {
  'sign-up': { points: 10, durationSeconds: 600 },
  verify: { points: 30, durationSeconds: 600 },
  resend: { points: 5, durationSeconds: 600 },
  login: { points: 20, durationSeconds: 600 },
  'forgot-password': { points: 5, durationSeconds: 600 },
  'reset-password': { points: 30, durationSeconds: 600 },
  'short-link': { points: 120, durationSeconds: 60 },
  /** Per account (hashed email): wrong passwords from clients the account has not logged in from, all IPs together. */
  'login-account': { points: 10, durationSeconds: 900 },
  /** Per (account, known client): a client that logged in before keeps its own allowance while the account is under attack. */
  'login-account-client': { points: 10, durationSeconds: 900 },
} as const;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;

/** Not a limit: marks (account, client) pairs that logged in successfully, for `login-account-client`. */
export const KNOWN_LOGIN_CLIENT = { keyPrefix: 'known-login-client', durationSeconds: 30 * 24 * 3600 } as const;
