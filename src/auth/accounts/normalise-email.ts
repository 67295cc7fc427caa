/** How auth matches an address: trimmed and lower-cased (pending sign-ups, resets, log-in, throttles). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
