import { errors as natsErrors } from '@nats-io/nats-core';

/** Machine-readable reason of a {@link NunectError}. */
export type NunectErrorCode =
  /** The server refused the credentials (wrong password, token, key or expired JWT). */
  | 'AUTHORIZATION'
  /** A publish or subscribe was denied by the user's permissions. */
  | 'PERMISSION_DENIED'
  /** The server could not be reached, or the connection attempt took too long. */
  | 'CONNECTION_FAILED'
  /** No WebSocket implementation is available (Node without `ws`). */
  | 'NO_WEBSOCKET'
  /** A request got no reply in time. */
  | 'TIMEOUT'
  /** A request went to a subject nobody listens on. */
  | 'NO_RESPONDERS'
  /** A subject, queue name or unit ID is not valid. */
  | 'INVALID_SUBJECT'
  /** The options passed to `connect()` are contradictory or incomplete. */
  | 'INVALID_OPTIONS'
  /** The connection is closed (or draining) and cannot be used. */
  | 'CLOSED'
  /** Anything else the NATS library reported. */
  | 'NATS';

/** Every error thrown or reported by the nunect client. The original error is in `cause`. */
export class NunectError extends Error {
  override name = 'NunectError';
  readonly code: NunectErrorCode;

  constructor(code: NunectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Maps an error from the NATS library (or anything thrown) to a {@link NunectError}. */
export function toNunectError(err: unknown, context?: string): NunectError {
  if (err instanceof NunectError) return err;
  const prefix = context ? `${context}: ` : '';
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof natsErrors.AuthorizationError || err instanceof natsErrors.UserAuthenticationExpiredError) {
    return new NunectError('AUTHORIZATION', `${prefix}the server refused the credentials (${message})`, { cause: err });
  }
  if (err instanceof natsErrors.PermissionViolationError) {
    return new NunectError('PERMISSION_DENIED', `${prefix}${message}`, { cause: err });
  }
  if (err instanceof natsErrors.NoRespondersError) {
    return new NunectError('NO_RESPONDERS', `${prefix}no responders on ${err.subject}`, { cause: err });
  }
  if (err instanceof natsErrors.TimeoutError) {
    return new NunectError('TIMEOUT', `${prefix}timed out`, { cause: err });
  }
  if (err instanceof natsErrors.ClosedConnectionError || err instanceof natsErrors.DrainingConnectionError) {
    return new NunectError('CLOSED', `${prefix}the connection is closed`, { cause: err });
  }
  if (err instanceof natsErrors.InvalidSubjectError) {
    return new NunectError('INVALID_SUBJECT', `${prefix}${message}`, { cause: err });
  }
  if (err instanceof natsErrors.ConnectionError || err instanceof natsErrors.ProtocolError) {
    return new NunectError('CONNECTION_FAILED', `${prefix}${message || 'connection failed'}`, { cause: err });
  }
  if (err instanceof natsErrors.RequestError) {
    // nats-core wraps the reason (no responders, a refused inbox subscription, …) in a RequestError.
    const inner = (err as { cause?: unknown }).cause;
    if (inner !== undefined && inner !== err) {
      const e = toNunectError(inner, context);
      if (e.code !== 'NATS') return e;
    }
    if (/no responders/i.test(message)) return new NunectError('NO_RESPONDERS', `${prefix}${message}`, { cause: err });
  }
  if (/permissions violation/i.test(message)) return new NunectError('PERMISSION_DENIED', `${prefix}${message}`, { cause: err });
  return new NunectError('NATS', `${prefix}${message}`, { cause: err });
}
