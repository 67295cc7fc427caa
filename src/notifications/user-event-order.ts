import { DomainEvent } from './realtime-events';

export interface UserEventOrderOptions {
  /** How long events wait behind a missing `seq` before they go out anyway. */
  holdMs: number;
  /** Users whose last `seq` is remembered; the least recently seen are forgotten first. */
  maxUsers: number;
}

interface Held {
  seq: number;
  event: DomainEvent;
}

interface UserState {
  /** The highest `seq` delivered. */
  last: number;
  /** Waiting for the `seq` between `last` and them, sorted by `seq` (stable). */
  held: Held[];
  timer?: NodeJS.Timeout;
}

/**
 * Puts one instance's deliveries of a user's events back into commit order. Events reach an
 * instance from several others, each after its own commit, so a later change can arrive first;
 * `seq` (point_balances.seq, one step per balance change) says where each belongs:
 * - the next `seq` goes out at once, and so do the held ones it unblocks;
 * - one further ahead waits up to `holdMs` for the missing ones, then goes out anyway;
 * - a `points-updated` at or below the last delivered `seq` is stale (the client already has
 *   newer balances) and is dropped; other events of an old change still go out;
 * - an event without `seq` goes out at once, or after what is held for that user.
 * The first event of a user this instance sees sets the baseline.
 */
export class UserEventOrder {
  private readonly users = new Map<string, UserState>();
  /** Stale points-updated dropped: read by tests. */
  dropped = 0;

  constructor(
    private readonly deliver: (event: DomainEvent) => void,
    private readonly options: UserEventOrderOptions = { holdMs: 1_000, maxUsers: 20_000 },
  ) {}

  push(event: DomainEvent): void {
    const state = this.touch(event.userId);
    const seq = event.seq;
    if (seq === undefined) {
      if (state && state.held.length > 0) this.hold(event.userId, state, state.held[state.held.length - 1].seq, event);
      else this.deliver(event);
      return;
    }
    if (!state) {
      this.remember(event.userId, { last: seq, held: [] });
      this.deliver(event);
      return;
    }
    if (seq <= state.last) {
      if (event.event === 'points-updated') this.dropped++;
      else this.deliver(event);
      return;
    }
    if (seq === state.last + 1) {
      state.last = seq;
      this.deliver(event);
      this.drain(state);
      return;
    }
    this.hold(event.userId, state, seq, event);
  }

  /** Delivers everything held and forgets every baseline: after a gap nothing fills. */
  reset(): void {
    for (const state of this.users.values()) this.flush(state);
    this.users.clear();
  }

  private hold(userId: string, state: UserState, seq: number, event: DomainEvent): void {
    let i = state.held.length;
    while (i > 0 && state.held[i - 1].seq > seq) i--;
    state.held.splice(i, 0, { seq, event });
    state.timer ??= setTimeout(() => this.giveUp(userId), this.options.holdMs).unref();
  }

  /** The missing change is not coming (its instance stopped, or it announced nothing): move on. */
  private giveUp(userId: string): void {
    const state = this.users.get(userId);
    if (!state) return;
    state.timer = undefined;
    if (state.held.length === 0) return;
    state.last = state.held[0].seq - 1;
    this.drain(state);
    if (state.held.length > 0) state.timer = setTimeout(() => this.giveUp(userId), this.options.holdMs).unref();
  }

  private drain(state: UserState): void {
    while (state.held.length > 0 && state.held[0].seq <= state.last + 1) {
      const next = state.held.shift()!;
      state.last = Math.max(state.last, next.seq);
      this.deliver(next.event);
    }
    if (state.held.length === 0 && state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  private flush(state: UserState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    for (const h of state.held.splice(0)) this.deliver(h.event);
  }

  private touch(userId: string): UserState | undefined {
    const state = this.users.get(userId);
    if (state) {
      this.users.delete(userId);
      this.users.set(userId, state);
    }
    return state;
  }

  private remember(userId: string, state: UserState): void {
    this.users.set(userId, state);
    if (this.users.size <= this.options.maxUsers) return;
    const [oldestId, oldest] = this.users.entries().next().value!;
    this.flush(oldest);
    this.users.delete(oldestId);
  }
}
