/**
 * What `<nunect-publish>` does on NATS, Lit-free: publish a message (with headers), send a request
 * and wait for its reply, or scatter-gather (publish with a reply inbox and collect every reply
 * until a count, a quiet period or a time limit). Each operation says how it went in a word
 * (`ok`, `no-reply`, `no-responders`, `refused`, `failed`) plus the reason, never vaguely: a
 * publish the user's permissions refuse is told as refused (the server's `-ERR` for that subject
 * is caught while the operation is in flight), not as "sent" and not as a timeout.
 *
 * The widget takes a {@link PublishSourceFactory}; the default is {@link natsPublishSource}. Tests
 * and stories pass a fake (publish-source.fake.ts). The payload and headers are built by
 * publish-model.ts.
 */
import { NunectError, type Msg, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { assertPublishSubject } from '../../client/subjects.js';

/** A message to send: subject, headers (name, value; a name may repeat) and payload bytes. */
export interface Outgoing {
  subject: string;
  headers: ReadonlyArray<readonly [string, string]>;
  payload: Uint8Array;
}

/** What a reply keeps (a nats-core `Msg` has all of it). */
export type ReplyMsg = Pick<Msg, 'subject' | 'reply' | 'data' | 'headers'>;

export type Outcome = 'ok' | 'no-reply' | 'no-responders' | 'refused' | 'failed';

/** A reply to a request or a scatter-gather. */
export interface Reply {
  /** 1 for the first reply. */
  n: number;
  msg: ReplyMsg;
  /** When it arrived (ms since the epoch, the source's clock). */
  time: number;
  /** Milliseconds from sending to this reply (a monotonic clock). */
  elapsed: number;
  /** Who answered, when the reply tells (see {@link responderOf}). */
  responder?: string;
}

export interface Result {
  outcome: Outcome;
  /** Why, when not `ok` (the server's words when it refused). */
  error?: NunectError;
  /** When it was sent (ms since the epoch). */
  time: number;
  /** Bytes of payload sent. */
  size: number;
  /** The replies (request: the one reply; publish: none). */
  replies: Reply[];
  /** Milliseconds from sending to the end (the reply, the last reply, or giving up). */
  elapsed: number;
  /** Why a scatter-gather stopped. */
  stopped?: 'count' | 'quiet' | 'max-wait' | 'aborted';
}

export interface GatherOptions {
  /** Stop after this many replies (0 or absent: no limit). */
  maxReplies?: number;
  /** Stop when no reply came for this many ms after the last one (default 500). */
  quiet?: number;
  /** Stop after this many ms in any case (default 5,000). */
  maxWait?: number;
  /** Every reply as it arrives. */
  onReply?: (reply: Reply) => void;
  /** Stops collecting (the result says `aborted`). */
  signal?: AbortSignal;
}

export interface PublishSource {
  /** Publishes, then waits until the server has processed it (a refusal is caught). */
  publish(m: Outgoing): Promise<Result>;
  /** Sends a request and waits up to `timeout` ms for the reply. */
  request(m: Outgoing, timeout: number): Promise<Result>;
  /** Publishes with a reply inbox and collects the replies. */
  gather(m: Outgoing, options?: GatherOptions): Promise<Result>;
}

export type PublishSourceFactory = (client: NunectClient, clock?: { now(): number }) => PublishSource;

const decoder = new TextDecoder();

/**
 * Who sent a reply, when the reply says: a `Nats-Responder` or `Nats-Service-Id` header; else in a
 * JSON body, a nats-server's `server.name` ($SYS replies), a service's `name` and `id` ($SRV
 * replies), or an `id`. `undefined` otherwise: NATS itself does not tell who answered.
 */
export function responderOf(msg: ReplyMsg): string | undefined {
  const h = msg.headers;
  const header = h?.get('Nats-Responder') || h?.get('Nats-Service-Id');
  if (header) return header;
  const data = msg.data;
  if (data.length === 0 || data.length > 65_536 || (data[0] !== 0x7b && data[0] !== 0x20)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { server?: { name?: unknown; id?: unknown }; name?: unknown; id?: unknown };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const server = str(b.server?.name) ?? str(b.server?.id);
  if (server) return server;
  const name = str(b.name);
  const id = str(b.id);
  if (name && id) return `${name} ${id}`;
  return name ?? id;
}

function headersInit(m: Outgoing): Record<string, string[]> | undefined {
  if (!m.headers.length) return undefined;
  const h: Record<string, string[]> = {};
  for (const [k, v] of m.headers) (h[k] ??= []).push(v);
  return h;
}

/** One macrotask: lets the protocol errors parsed with a PONG reach their listeners first. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

/** The server's refusals of publishing to `subject` while `run` runs (its `-ERR Permissions Violation`). */
async function watchRefusal<T>(client: NunectClient, subject: string, run: () => Promise<T>): Promise<{ value?: T; error?: unknown; refused?: NunectError }> {
  let refused: NunectError | undefined;
  const quoted = `"${subject}"`;
  const stop = client.on('error', (e) => {
    if (e.code === 'PERMISSION_DENIED' && /publish/i.test(e.message) && e.message.includes(quoted)) refused ??= e;
  });
  try {
    const value = await run();
    await settle();
    return { value, refused };
  } catch (error) {
    await settle();
    return { error, refused };
  } finally {
    stop();
  }
}

function refusal(e: NunectError, subject: string): NunectError {
  return new NunectError('PERMISSION_DENIED', `This user may not publish to ${subject}: ${e.message}`, { cause: e });
}

function checkSubject(m: Outgoing): void {
  try {
    assertPublishSubject(m.subject);
  } catch (err) {
    throw toNunectError(err);
  }
}

/** The operations on the nunect client's own connection. */
export function natsPublishSource(client: NunectClient, clock: { now(): number } = Date): PublishSource {
  const failed = (err: unknown, time: number, size: number, started: number, context: string): Result => {
    const e = toNunectError(err, context);
    const outcome: Outcome =
      e.code === 'TIMEOUT' ? 'no-reply' : e.code === 'NO_RESPONDERS' ? 'no-responders' : e.code === 'PERMISSION_DENIED' ? 'refused' : 'failed';
    return { outcome, error: e, time, size, replies: [], elapsed: performance.now() - started };
  };
  return {
    async publish(m) {
      checkSubject(m);
      const time = clock.now();
      const started = performance.now();
      const size = m.payload.length;
      const headers = headersInit(m);
      const r = await watchRefusal(client, m.subject, async () => {
        client.publish(m.subject, m.payload, headers ? { headers } : undefined);
        await client.flush();
      });
      if (r.refused) return { outcome: 'refused', error: refusal(r.refused, m.subject), time, size, replies: [], elapsed: performance.now() - started };
      if (r.error !== undefined) return failed(r.error, time, size, started, `publish to ${m.subject}`);
      return { outcome: 'ok', time, size, replies: [], elapsed: performance.now() - started };
    },

    async request(m, timeout) {
      checkSubject(m);
      const time = clock.now();
      const started = performance.now();
      const size = m.payload.length;
      const headers = headersInit(m);
      const r = await watchRefusal(client, m.subject, () => client.request(m.subject, m.payload, { timeout, ...(headers ? { headers } : {}) }));
      const elapsed = performance.now() - started;
      if (r.refused) return { outcome: 'refused', error: refusal(r.refused, m.subject), time, size, replies: [], elapsed };
      if (r.error !== undefined) return failed(r.error, time, size, started, `request to ${m.subject}`);
      const msg = r.value!;
      const reply: Reply = { n: 1, msg, time: clock.now(), elapsed, responder: responderOf(msg) };
      return { outcome: 'ok', time, size, replies: [reply], elapsed };
    },

    async gather(m, options = {}) {
      checkSubject(m);
      const time = clock.now();
      const started = performance.now();
      const size = m.payload.length;
      const headers = headersInit(m);
      const quiet = Math.max(1, options.quiet ?? 500);
      const maxWait = Math.max(1, options.maxWait ?? 5_000);
      const max = options.maxReplies && options.maxReplies > 0 ? Math.floor(options.maxReplies) : Infinity;
      const replies: Reply[] = [];
      const r = await watchRefusal(
        client,
        m.subject,
        () =>
          new Promise<{ stopped: NonNullable<Result['stopped']>; noResponders?: boolean; error?: unknown }>((resolve) => {
            const inbox = client.createInbox();
            let quietTimer: ReturnType<typeof setTimeout> | undefined;
            let done = false;
            const finish = (result: { stopped: NonNullable<Result['stopped']>; noResponders?: boolean; error?: unknown }) => {
              if (done) return;
              done = true;
              clearTimeout(quietTimer);
              clearTimeout(overall);
              options.signal?.removeEventListener('abort', onAbort);
              try {
                sub?.unsubscribe();
              } catch {
                /* the connection is gone */
              }
              resolve(result);
            };
            const onAbort = () => finish({ stopped: 'aborted' });
            const overall = setTimeout(() => finish({ stopped: 'max-wait' }), maxWait);
            options.signal?.addEventListener('abort', onAbort);
            let sub: ReturnType<NunectClient['subscribe']> | undefined;
            try {
              sub = client.subscribe(inbox, {
                onMessage: (msg) => {
                  if (done) return;
                  if (msg.headers?.code === 503 && replies.length === 0) return finish({ stopped: 'max-wait', noResponders: true });
                  const reply: Reply = { n: replies.length + 1, msg, time: clock.now(), elapsed: performance.now() - started, responder: responderOf(msg) };
                  replies.push(reply);
                  options.onReply?.(reply);
                  if (replies.length >= max) return finish({ stopped: 'count' });
                  clearTimeout(quietTimer);
                  quietTimer = setTimeout(() => finish({ stopped: 'quiet' }), quiet);
                },
                onError: (error) => finish({ stopped: 'max-wait', error }),
              });
              client.publish(m.subject, m.payload, { reply: inbox, ...(headers ? { headers } : {}) });
            } catch (error) {
              finish({ stopped: 'max-wait', error });
            }
            if (options.signal?.aborted) onAbort();
          }),
      );
      const elapsed = performance.now() - started;
      const base = { time, size, replies, elapsed };
      if (r.refused) return { outcome: 'refused', error: refusal(r.refused, m.subject), ...base };
      const v = r.value!;
      if (v.error !== undefined) return { ...failed(v.error, time, size, started, `scatter-gather on ${m.subject}`), replies };
      if (v.noResponders)
        return { outcome: 'no-responders', error: new NunectError('NO_RESPONDERS', `no responders on ${m.subject}`), ...base, stopped: v.stopped };
      if (replies.length === 0)
        return {
          outcome: v.stopped === 'aborted' ? 'failed' : 'no-reply',
          error: new NunectError(
            v.stopped === 'aborted' ? 'NATS' : 'TIMEOUT',
            v.stopped === 'aborted' ? 'stopped before any reply' : `no reply within ${maxWait} ms`,
          ),
          ...base,
          stopped: v.stopped,
        };
      return { outcome: 'ok', ...base, stopped: v.stopped };
    },
  };
}
