/** Who a socket acts for, as its authenticator vouched at the handshake. */
export interface SocketSession {
  userId: string;
  /** When the handshake token expires (epoch ms): the socket is dropped then. */
  expiresAt: number;
}

/**
 * How the gateway learns who a socket is. Notifications owns this interface and the layer above
 * provides it (app.module wires auth core's), so the websocket layer imports no auth module.
 */
export interface SocketAuthenticator<S extends SocketSession = SocketSession> {
  /** The session a handshake token opens; null when refused. Rejects when it cannot tell (database down). */
  authenticate(token: unknown): Promise<S | null>;
  /** For each session, whether it is still honoured as it was opened, read fresh (the periodic sweep). */
  stillValid(sessions: readonly S[]): Promise<boolean[]>;
}

export const SOCKET_AUTHENTICATOR = Symbol('SOCKET_AUTHENTICATOR');
