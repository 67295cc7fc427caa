/** What an account may do: the role a token carries and the guards check. */
export type UserRole = 'user' | 'admin';
