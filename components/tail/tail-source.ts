/**
 * Where `<nunect-tail>` reads messages from, Lit-free: one core NATS subscription on the user's own
 * connection (a subject with wildcards, an optional queue group), confirmed by the server before
 * the tail counts as open (a refused subscription is an error that says so, never an empty tail).
 *
 * It also watches the connection while the tail is open: when the connection is lost (e.g. the
 * server closed it as a slow consumer) and comes back, it reports a {@link TailGap} — when, the
 * server's reason, and how many messages the server had queued for the lost connection that never
 * arrived (the server's `out_msgs` of the closed connection, from the account's CONNZ, less what
 * this client received on it). Never silent: when the server cannot tell (a user who may not ask
 * `$SYS.REQ.ACCOUNT.PING.CONNZ`, nats-server forgot the connection) the gap says so.
 *
 * The widget takes a {@link TailSourceFactory}; the default is {@link subjectTailSource}. Tests and
 * stories pass a fake (tail-source.fake.ts).
 */
import { NunectError, type Msg, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { assertQueueName, assertSubscribeSubject } from '../../client/subjects.js';

/** What the tail keeps of a message (a nats-core `Msg` has all of it). */
export type TailMsg = Pick<Msg, 'subject' | 'reply' | 'data' | 'headers'>;

/** A stretch of time the connection was lost while the tail was open. */
export interface TailGap {
  /** When the connection was lost (ms since the epoch, the source's clock). */
  since: number;
  /** When it was back. */
  until: number;
  /** The server's reason for closing the connection, e.g. `Slow Consumer (Pending Bytes)`. */
  reason?: string;
  /**
   * Messages the server had sent towards the lost connection that never reached this client (all
   * of the connection's subscriptions); `undefined` when not known (see `unknown`).
   */
  dropped?: number;
  /** Why `dropped` is not known, for people. */
  unknown?: string;
}

export interface TailHandlers {
  /** A message arrived. Called at any rate: batch before rendering. */
  message(msg: TailMsg): void;
  /** The subscription failed after it opened (`undefined` once messages arrive again). */
  problem(error: NunectError | undefined): void;
  /** The connection was lost and is back: messages published meanwhile did not arrive. */
  gap(gap: TailGap): void;
}

export interface TailOptions {
  subject: string;
  /** A queue group: the tail then gets only its share of the messages (one member of the group each). */
  queue?: string;
}

export interface TailHandle {
  stop(): void;
}

export interface TailSource {
  /** Opens the tail; rejects with a NunectError (INVALID_SUBJECT, PERMISSION_DENIED, CLOSED, …) when it cannot. */
  open(handlers: TailHandlers, options: TailOptions): Promise<TailHandle>;
}

/** Makes the source for a client; `clock` stamps the gaps (the widget passes its own, `this.now()`). */
export type TailSourceFactory = (client: NunectClient, clock?: { now(): number }) => TailSource;

/** The account CONNZ survey (every account's users may ask it for their own account). */
export const ACCOUNT_CONNZ = '$SYS.REQ.ACCOUNT.PING.CONNZ';

/** One macrotask: lets the protocol errors parsed with a PONG reach their listeners first. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

/** A refused subscription in words a user can act on. */
export function tailError(err: unknown, subject: string, queue?: string): NunectError {
  const e = toNunectError(err, `tail ${subject}`);
  if (e.code === 'PERMISSION_DENIED')
    return new NunectError('PERMISSION_DENIED', `This user may not subscribe to ${subject}${queue ? ` (queue group ${queue})` : ''}: ${e.message}`, {
      cause: err,
    });
  return e;
}

interface ClosedConn {
  cid?: number;
  out_msgs?: number;
  reason?: string;
}

/**
 * How many messages the server had queued for the closed connection `cid` of server `serverId`
 * and this client did not receive (`received` of them arrived), with the server's reason.
 */
export async function droppedOnClosed(
  client: NunectClient,
  serverId: string,
  cid: number,
  received: number,
  maxWait = 2_000,
): Promise<Pick<TailGap, 'reason' | 'dropped' | 'unknown'>> {
  let replies: Msg[];
  try {
    replies = await client.requestMany(ACCOUNT_CONNZ, JSON.stringify({ cid, state: 1 }), { maxWait, quiet: 300 });
  } catch (err) {
    const e = toNunectError(err);
    return { unknown: `the server's count is not available (${e.message})` };
  }
  for (const m of replies) {
    let body: { server?: { id?: string }; data?: { conns?: ClosedConn[]; connections?: ClosedConn[] } };
    try {
      body = m.json();
    } catch {
      continue;
    }
    if (body.server?.id !== serverId) continue;
    const conn = (body.data?.connections ?? body.data?.conns ?? []).find((c) => c.cid === cid);
    if (!conn) return { unknown: 'the server no longer lists the closed connection' };
    const out = conn.out_msgs ?? 0;
    return { reason: conn.reason, dropped: Math.max(0, out - received) };
  }
  return {
    unknown: replies.length
      ? 'the server that held the connection did not answer'
      : `the server's count is not available to this user (it may not ask ${ACCOUNT_CONNZ}, or no server answered)`,
  };
}

/** The tail on the nunect client's own connection. */
export function subjectTailSource(client: NunectClient, clock: { now(): number } = Date): TailSource {
  return {
    async open(h, { subject, queue }) {
      try {
        assertSubscribeSubject(subject);
        if (queue) assertQueueName(queue);
      } catch (err) {
        throw toNunectError(err);
      }
      let failed: NunectError | undefined;
      let opened = false;
      let stopped = false;
      let receivedSince = false;
      const sub = (() => {
        try {
          return client.subscribe(subject, {
            ...(queue ? { queue } : {}),
            onMessage: (m) => {
              if (receivedSince) {
                receivedSince = false;
                h.problem(undefined);
              }
              h.message(m);
            },
            onError: (err) => {
              const e = tailError(err, subject, queue);
              if (!opened) failed = e;
              else if (!stopped) {
                receivedSince = true;
                h.problem(e);
              }
            },
          });
        } catch (err) {
          throw tailError(err, subject, queue);
        }
      })();
      try {
        await client.flush();
        await settle();
      } catch (err) {
        failed ??= tailError(err, subject, queue);
      }
      if (failed) {
        try {
          sub.unsubscribe();
        } catch {
          /* closed already */
        }
        throw failed;
      }
      opened = true;

      // The connection in use, to explain a loss: its server, its cid and what it received.
      let conn = current();
      let lost: { since: number; conn: typeof conn; received: number } | undefined;
      function current() {
        const info = client.info;
        return { serverId: info?.server_id ?? '', cid: info?.client_id ?? 0, inMsgs: client.stats().inMsgs };
      }
      const stopStatus = client.on('status', (s) => {
        if (stopped) return;
        if (s.state === 'reconnecting' && !lost) {
          lost = { since: clock.now(), conn, received: client.stats().inMsgs - conn.inMsgs };
        } else if (s.state === 'connected' && lost) {
          const was = lost;
          lost = undefined;
          conn = current();
          const until = clock.now();
          void droppedOnClosed(client, was.conn.serverId, was.conn.cid, was.received).then((why) => {
            if (!stopped) h.gap({ since: was.since, until, ...why });
          });
        }
      });
      return {
        stop: () => {
          if (stopped) return;
          stopped = true;
          stopStatus();
          try {
            sub.unsubscribe();
          } catch {
            /* the connection is gone already */
          }
        },
      };
    },
  };
}
