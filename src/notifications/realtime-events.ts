/** Every event the server sends over Socket.IO (API.md, Socket.IO): one typed map. */
export interface ServerToClientEvents {
  'referral-signup': (payload: ReferralSignupEvent) => void;
  'level-up': (payload: LevelUpEvent) => void;
  /** Only under LEVEL_WINDOW_MONTHS > 0: the daily evaluation lowered the level by one tier. */
  'level-down': (payload: LevelUpEvent) => void;
  'points-updated': (payload: PointsUpdatedEvent) => void;
  'new-notification': (payload: NewNotificationEvent) => void;
  resync: (payload: ResyncEvent) => void;
}

/**
 * Sent on every (re)connect, and to every socket of an instance whose link to the other
 * instances was lost and is back: events may have been missed, so the client refetches.
 */
export interface ResyncEvent {
  /** Events of changes committed from about this moment on reach the socket. */
  at: string;
}

export interface ReferralSignupEvent {
  refereeName: string;
  refereeEmail: string;
  totalReferrals: number;
}

export interface LevelUpEvent {
  userId: string;
  previousLevel: number;
  level: number;
  levelName: string;
}

export interface PointsUpdatedEvent {
  available: number;
  total: number;
  pending: number;
  debt: number;
  delta: number;
  transactionId: string;
  /** The user's balance change counter: grows with every change, in commit order. */
  seq: number;
}

export interface NewNotificationEvent {
  id: string;
  type: string;
  title: string;
  message: string;
  createdAt: string;
}

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/** An event a service recorded inside its transaction, to be emitted once after commit. */
export interface DomainEvent<E extends ServerEventName = ServerEventName> {
  userId: string;
  event: E;
  payload: ServerEventPayload<E>;
  /**
   * The user's balance change (point_balances.seq) the event belongs to. Instances deliver a user's
   * events in this order (user-event-order.ts); events without it have no place in that order.
   */
  seq?: number;
}

export function userRoom(userId: string): string {
  return `user-${userId}`;
}

declare module '../database/unit-of-work' {
  interface RecordedEffects {
    /** Emitted to the user's sockets after commit (RealtimeService). */
    'domain-event': DomainEvent;
  }
}
