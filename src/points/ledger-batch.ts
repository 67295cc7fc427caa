import { Balances, EntryInput, LedgerEntry } from './points-ledger.repository';

/** A balance as a batch reads it and moves it: the level is where the batch found it (a written entry's is computed by the database, by points_level). */
export interface BalanceState extends Balances {
  windowFrom: Date | null;
  qualifying: number | null;
}

/** A user as the batch found them: null when there is no such user. */
export interface UserState {
  closed: boolean;
  /** Whether the user has a balance row; without one `balance` is zeros at points_level(0). */
  stored: boolean;
  balance: BalanceState;
}

export type PlannedItem =
  /** The key was used before the batch. */
  | { kind: 'existing'; entry: LedgerEntry }
  /** The key was used by an earlier item of this batch: that item's entry is the answer. */
  | { kind: 'repeat'; of: number }
  | { kind: 'no-user' }
  /** A spend that finds too little available: nothing written. */
  | { kind: 'refused'; userId: string; before: BalanceState }
  /** `lot` > 0 opens a lot of that much; < 0 takes that much from the user's lots. */
  | { kind: 'write'; userId: string; before: BalanceState; after: BalanceState; lot: number };

export interface BatchPlan {
  items: PlannedItem[];
  /** Each written user's balance after the batch, in the order of their first write. */
  balances: Map<string, BalanceState>;
  /** What each user's debits of the batch take from their lots in all. */
  lotTakes: Map<string, number>;
}

/**
 * Applies the batch's entries one after the other, in their order, as the one-entry statement
 * (WRITE_ENTRY) would: the same guard, the same moves of available, debt and pending, the same
 * window. Only the level is left to the database, which knows the tiers.
 */
export function planBatch(
  inputs: EntryInput[],
  users: Map<string, UserState>,
  existing: Map<string, LedgerEntry>,
  windowFrom: Date | null,
): BatchPlan {
  const balances = new Map<string, BalanceState>();
  const lotTakes = new Map<string, number>();
  const writtenKeys = new Map<string, number>();
  const items = inputs.map((input, index): PlannedItem => {
    const used = existing.get(input.idempotencyKey);
    if (used) return { kind: 'existing', entry: used };
    const earlier = writtenKeys.get(input.idempotencyKey);
    if (earlier !== undefined) return { kind: 'repeat', of: earlier };
    const user = users.get(input.userId);
    if (!user || (user.closed && !input.includeClosed)) return { kind: 'no-user' };
    const before = balances.get(input.userId) ?? opened(user, windowFrom);
    if (!input.allowDebt && before.available + input.amount < 0) return { kind: 'refused', userId: input.userId, before };
    const after = moved(before, input);
    balances.set(input.userId, after);
    writtenKeys.set(input.idempotencyKey, index);
    const lot = after.available - before.available;
    if (lot < 0) lotTakes.set(input.userId, (lotTakes.get(input.userId) ?? 0) - lot);
    return { kind: 'write', userId: input.userId, before, after, lot };
  });
  return { items, balances, lotTakes };
}

/** A user without a balance row starts at zero, inside the current window when there is one. */
function opened(user: UserState, windowFrom: Date | null): BalanceState {
  if (user.stored) return user.balance;
  return { ...user.balance, windowFrom, qualifying: windowFrom ? 0 : null };
}

function moved(b: BalanceState, e: EntryInput): BalanceState {
  const posted = e.status === 'posted';
  return {
    total: b.total + e.totalDelta,
    available: posted ? Math.max(b.available - b.debt + e.amount, 0) : b.available,
    pending: b.pending + (posted ? 0 : e.amount),
    debt: posted ? Math.max(b.debt - b.available - e.amount, 0) : b.debt,
    level: b.level,
    seq: b.seq + 1,
    windowFrom: b.windowFrom,
    qualifying: b.qualifying === null ? null : b.qualifying + e.totalDelta,
  };
}
