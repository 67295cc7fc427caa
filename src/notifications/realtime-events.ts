/** Every event the server sends over Socket.IO (API.md, Socket.IO): one typed map. */
export interface ServerToClientEvents {
  'referral-signup': (payload: ReferralSignupEvent) => void;
  'level-up': (payload: LevelUpEvent) => void;
  'points-updated': (payload: PointsUpdatedEvent) => void;
  'new-notification': (payload: NewNotificationEvent) => void;
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
  delta: number;
  transactionId: string;
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
}

export function userRoom(userId: string): string {
  return `user-${userId}`;
}
