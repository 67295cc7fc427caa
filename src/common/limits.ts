/** API.md: amounts (points, cents) are integers within ±1,000,000,000. */
export const MAX_AMOUNT = 1_000_000_000;
