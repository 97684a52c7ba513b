/**
 * Where `<nunect-streams>` reads an account's JetStream streams from, Lit-free: the stream list a
 * page at a time as the API pages it (`$JS.API.STREAM.LIST`, `offset` → `total`, `limit`), a
 * stream's info (cluster leader and replicas), its consumers, its messages by sequence
 * (`$JS.API.STREAM.MSG.GET.<stream>`, or `$JS.API.DIRECT.GET.<stream>` when the stream allows
 * direct get) — no consumer is ever created to browse, so work-queue streams can be read too —
 * and the destructive actions (purge, delete a message, delete a consumer), each with its audit
 * record. The widget takes a {@link StreamsSourceFactory}; the default, {@link jetStreamSource},
 * talks through `@nats-io/jetstream` (loaded on demand) on the nunect client's connection. Tests
 * and stories pass a fake (streams-source.fake.ts).
 */
import type { ConsumerInfo, JetStreamManager, StreamInfo, StoredMsg } from '@nats-io/jetstream';
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { recordAudit, type AuditTarget, type DataAction, type DataOutcome } from '../../client/admin.js';

export type { ClusterInfo, ConsumerInfo, PeerInfo, StreamConfig, StreamInfo, StreamState } from '@nats-io/jetstream';

/** The subject of the paged stream list. */
export const LIST_SUBJECT = '$JS.API.STREAM.LIST';

/** One page of the stream list, as the server sent it. */
export interface StreamPage {
  /** Streams of the account in all (before paging). */
  total: number;
  /** Index of the first stream of this page. */
  offset: number;
  /** How many streams a page holds at most (the server decides: 256). */
  limit: number;
  streams: StreamInfo[];
  /** Streams the server could not report (cluster trouble); their info is not in `streams`. */
  missing?: string[];
  /** Streams that are offline, with why (nats-server 2.12+). */
  offline?: Record<string, string>;
}

/** A stored message read by sequence (never through a consumer). */
export interface StreamMessage {
  seq: number;
  subject: string;
  /** When the server stored it (ISO 8601). */
  time: string;
  /** The message's own headers (the server's `Nats-Stream`, `Nats-Sequence`… of a direct get are left out). */
  headers: Array<[string, string]>;
  data: Uint8Array;
  /** How it was read: `direct` (`$JS.API.DIRECT.GET`) or `get` (`$JS.API.STREAM.MSG.GET`). */
  via: 'direct' | 'get';
}

/**
 * Which message to read: exactly `seq`; the first at or after `from` (deleted sequences skipped);
 * the last of a subject; the first stored at or after a time (direct get, nats-server 2.11+).
 */
export type MessageQuery = { seq: number } | { from: number } | { lastBySubject: string } | { startTime: string };

export interface StreamsSource {
  /** The page of the stream list starting at `offset`. */
  listPage(offset: number): Promise<StreamPage>;
  /** A stream's full info (config, state, cluster with its replicas' current/lag/offline). */
  info(stream: string): Promise<StreamInfo>;
  /** Every consumer of the stream. */
  consumers(stream: string): Promise<ConsumerInfo[]>;
  /** A message by `query` (`direct`: through direct get, the stream allows it); null when there is none. */
  message(stream: string, query: MessageQuery, direct: boolean): Promise<StreamMessage | null>;
  /** Purges the stream, or only `subject`'s messages; how many were removed. */
  purge(stream: string, subject?: string): Promise<number>;
  deleteMessage(stream: string, seq: number): Promise<void>;
  deleteConsumer(stream: string, consumer: string): Promise<void>;
}

export type StreamsSourceFactory = (client: NunectClient) => StreamsSource;

/** The subjects whose publish rights the destructive actions need. */
export const actionSubjects = {
  purge: (stream: string) => `$JS.API.STREAM.PURGE.${stream}`,
  'delete-message': (stream: string) => `$JS.API.STREAM.MSG.DELETE.${stream}`,
  'delete-consumer': (stream: string, consumer = '*') => `$JS.API.CONSUMER.DELETE.${stream}.${consumer}`,
} as const satisfies Partial<Record<DataAction, (stream: string, consumer?: string) => string>>;

export type StreamAction = keyof typeof actionSubjects;

const explained = new WeakSet<NunectError>();

/**
 * A JetStream failure in words a user can act on: no JetStream for the account, a refused
 * permission, something that does not exist, a malformed reply. `what`: what was being read.
 */
export function streamsError(err: unknown, what: string): NunectError {
  if (err instanceof NunectError && explained.has(err)) return err;
  const e = explain(err, what);
  explained.add(e);
  return e;
}

function explain(err: unknown, what: string): NunectError {
  const e = toNunectError(err);
  const msg = e.message;
  const api = apiCode(err);
  if (api === 10039 || /jetstream not enabled|jetstream.*not.*enabled/i.test(msg) || e.code === 'NO_RESPONDERS' || /\b503\b/.test(msg))
    return new NunectError('NO_RESPONDERS', `No JetStream for this user's account: ${what} cannot be read (${msg})`, { cause: err });
  if (e.code === 'PERMISSION_DENIED' || /permission/i.test(msg))
    return new NunectError('PERMISSION_DENIED', `This user may not read ${what} (${msg})`, { cause: err });
  if (e.code === 'TIMEOUT') return new NunectError('TIMEOUT', `${what}: timed out (is JetStream enabled for this user's account?)`, { cause: err });
  return new NunectError(e.code, `${what}: ${msg}`, { cause: err });
}

/** The JetStream API error code (`err_code`, e.g. 10059 stream not found) of an error, if any. */
function apiCode(err: unknown): number | undefined {
  const api = (err as { apiError?: () => { err_code?: number } } | undefined)?.apiError?.();
  if (api?.err_code !== undefined) return api.err_code;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause && cause !== err ? apiCode(cause) : undefined;
}

/** Parses a page of `$JS.API.STREAM.LIST`; a JetStream error reply or a malformed body throws. */
export function parseStreamPage(msg: { json<T>(): T }): StreamPage {
  let body: Partial<StreamPage> & { error?: { code?: number; err_code?: number; description?: string } };
  try {
    body = msg.json();
  } catch (err) {
    throw new NunectError('NATS', `a malformed reply from ${LIST_SUBJECT}`, { cause: err });
  }
  if (body && typeof body === 'object' && body.error) {
    const d = body.error.description ?? 'the server refused it';
    const code = body.error.err_code === 10039 || body.error.code === 503 ? 'NO_RESPONDERS' : 'NATS';
    throw new NunectError(code, `${d} (${body.error.code ?? ''}${body.error.err_code ? `/${body.error.err_code}` : ''})`);
  }
  if (!body || typeof body !== 'object' || typeof body.total !== 'number' || (body.streams != null && !Array.isArray(body.streams)))
    throw new NunectError('NATS', `a malformed reply from ${LIST_SUBJECT}`);
  const streams = (body.streams ?? []).filter((s): s is StreamInfo => !!s && typeof s === 'object' && !!s.config && typeof s.config.name === 'string');
  return {
    total: body.total,
    offset: typeof body.offset === 'number' ? body.offset : 0,
    limit: typeof body.limit === 'number' ? body.limit : streams.length,
    streams,
    ...(Array.isArray(body.missing) && body.missing.length ? { missing: body.missing } : {}),
    ...(body.offline && typeof body.offline === 'object' && Object.keys(body.offline).length ? { offline: body.offline } : {}),
  };
}

/** A page of the stream list through the nunect client (the real source and the fake both use it). */
export async function listStreamsPage(client: NunectClient, offset: number): Promise<StreamPage> {
  try {
    return parseStreamPage(await client.request(LIST_SUBJECT, JSON.stringify({ offset: Math.max(0, Math.floor(offset)) })));
  } catch (err) {
    throw streamsError(err, 'the streams of this account');
  }
}

/** Headers a direct get adds to describe the stored message (not the message's own). */
const DIRECT_HEADERS = new Set(['nats-stream', 'nats-sequence', 'nats-time-stamp', 'nats-subject', 'nats-last-sequence', 'nats-num-pending']);

/** A stored message's headers as name/value rows (one per value). */
export function headerRows(h: { keys(): string[]; values(k: string): string[] } | undefined, direct: boolean): Array<[string, string]> {
  if (!h) return [];
  const rows: Array<[string, string]> = [];
  for (const k of h.keys()) {
    if (direct && DIRECT_HEADERS.has(k.toLowerCase())) continue;
    for (const v of h.values(k)) rows.push([k, v]);
  }
  return rows;
}

function toMessage(m: StoredMsg, via: 'direct' | 'get'): StreamMessage {
  let time: string;
  try {
    time = m.timestamp || m.time.toISOString();
  } catch {
    time = '';
  }
  return { seq: m.seq, subject: m.subject, time, headers: headerRows(m.header, via === 'direct'), data: m.data, via };
}

/** The real source: `@nats-io/jetstream` (loaded on first use) on the client's connection. */
export function jetStreamSource(client: NunectClient): StreamsSource {
  let jsm: Promise<JetStreamManager> | undefined;
  const manager = () => {
    // Loaded on demand: pages without a stream widget never download the JetStream library.
    jsm ??= import('@nats-io/jetstream').then(({ jetstreamManager }) => jetstreamManager(client.nc, { checkAPI: false }));
    jsm.catch(() => (jsm = undefined));
    return jsm;
  };
  return {
    listPage: (offset) => listStreamsPage(client, offset),

    async info(stream) {
      try {
        return await (await manager()).streams.info(stream);
      } catch (err) {
        throw streamsError(err, `the stream ${stream}`);
      }
    },

    async consumers(stream) {
      try {
        const lister = (await manager()).consumers.list(stream);
        const all: ConsumerInfo[] = [];
        for await (const c of lister) all.push(c);
        return all;
      } catch (err) {
        throw streamsError(err, `the consumers of ${stream}`);
      }
    },

    async message(stream, query, direct) {
      const m = await manager();
      const q =
        'seq' in query
          ? { seq: query.seq }
          : 'from' in query
            ? { seq: Math.max(1, query.from), next_by_subj: '>' }
            : 'lastBySubject' in query
              ? { last_by_subj: query.lastBySubject }
              : { start_time: query.startTime };
      try {
        if (direct) {
          const r = await m.direct.getMessage(stream, q);
          return r ? toMessage(r, 'direct') : null;
        }
        if ('start_time' in q) throw new NunectError('NATS', 'reading by time needs direct get (the stream does not allow it)');
        // MSG.GET takes `next_by_subj` too (the first message at or after `seq` on a subject).
        const r = await m.streams.getMessage(stream, q as { seq: number });
        return r ? toMessage(r, 'get') : null;
      } catch (err) {
        if (apiCode(err) === 10037 || /no message found|message not found/i.test((err as Error).message ?? '')) return null;
        throw streamsError(err, `the messages of ${stream}`);
      }
    },

    async purge(stream, subject) {
      try {
        const r = await (await manager()).streams.purge(stream, subject ? { filter: subject } : undefined);
        return r.purged;
      } catch (err) {
        throw toNunectError(err);
      }
    },

    async deleteMessage(stream, seq) {
      try {
        await (await manager()).streams.deleteMessage(stream, seq);
      } catch (err) {
        throw toNunectError(err);
      }
    },

    async deleteConsumer(stream, consumer) {
      try {
        await (await manager()).consumers.delete(stream, consumer);
      } catch (err) {
        throw toNunectError(err);
      }
    },
  };
}

// -------------------------------------------------------------------------------------------------
// Browsing by sequence

/** A message read while browsing, and what was skipped to reach it. */
export interface BrowseStep {
  message: StreamMessage | null;
  /** Deleted (or purged) sequences passed over: `[from, to]`, inclusive. */
  skipped?: [number, number];
  /** Why there is no message, or what stopped the search. */
  note?: string;
}

/** How many sequences "previous" tries, one by one, before it gives up on a long gap. */
export const PREVIOUS_TRIES = 64;

/** The message `seq`, or the first after it when `seq` was deleted (the gap is said). */
export async function messageFrom(source: StreamsSource, stream: string, seq: number, direct: boolean): Promise<BrowseStep> {
  const from = Math.max(1, Math.floor(seq));
  const message = await source.message(stream, { from }, direct);
  if (!message) return { message: null, note: `No message at or after sequence ${from}.` };
  return message.seq > from ? { message, skipped: [from, message.seq - 1] } : { message };
}

/**
 * The message before `seq`: deleted sequences are passed over one by one (there is no "previous"
 * query), at most {@link PREVIOUS_TRIES}; `first`: the stream's first sequence (nothing before it).
 */
export async function messageBefore(source: StreamsSource, stream: string, seq: number, first: number, direct: boolean): Promise<BrowseStep> {
  const floor = Math.max(1, first);
  let s = seq - 1;
  for (let tries = 0; s >= floor && tries < PREVIOUS_TRIES; tries++, s--) {
    const message = await source.message(stream, { seq: s }, direct);
    if (message) return s < seq - 1 ? { message, skipped: [s + 1, seq - 1] } : { message };
  }
  if (s < floor) return { message: null, skipped: seq - 1 >= floor ? [floor, seq - 1] : undefined, note: 'No message before this one.' };
  return {
    message: null,
    skipped: [s + 1, seq - 1],
    note: `${PREVIOUS_TRIES} deleted sequences in a row before ${seq}: jump to a sequence to go further back.`,
  };
}

// -------------------------------------------------------------------------------------------------
// Destructive actions

/** What a destructive action is done to. */
export interface ActionTarget {
  stream: string;
  /** Purge only this subject. */
  subject?: string;
  /** Delete this message. */
  seq?: number;
  /** Delete this consumer. */
  consumer?: string;
}

export interface ActionResult {
  action: StreamAction;
  target: ActionTarget;
  outcome: DataOutcome;
  /** What happened, for people (the server's refusal, how many messages were purged). */
  message?: string;
  /** Messages removed by a purge. */
  purged?: number;
  /** Whether the audit record was sent. */
  audited: boolean;
}

/** The outcome of a failed action, from its error. */
export function outcomeOf(err: unknown): { outcome: DataOutcome; message: string } {
  const e = toNunectError(err);
  const code = apiCode(err);
  if (e.code === 'PERMISSION_DENIED' || /permission/i.test(e.message))
    return { outcome: 'refused', message: `the server refused it (PERMISSION_DENIED): ${e.message}` };
  if (code === 10059 || code === 10014 || code === 10037 || /not found/i.test(e.message)) return { outcome: 'not-found', message: e.message };
  if (e.code === 'TIMEOUT') return { outcome: 'no-reply', message: 'the server did not answer in time' };
  return { outcome: 'failed', message: e.message };
}

/**
 * Does `action` to `target`, then publishes its audit record on `ops.audit.<action>` (every
 * attempt: done, refused or failed). Never throws. `who`: the user; `time`: ms since the epoch.
 */
export async function runAction(
  client: NunectClient,
  source: StreamsSource,
  action: StreamAction,
  target: ActionTarget,
  who: string | undefined,
  time: number,
  account?: string,
): Promise<ActionResult> {
  let outcome: DataOutcome = 'ok';
  let message: string | undefined;
  let purged: number | undefined;
  try {
    if (action === 'purge') {
      purged = await source.purge(target.stream, target.subject);
      message = `${purged} ${purged === 1 ? 'message' : 'messages'} purged`;
    } else if (action === 'delete-message') {
      if (target.seq === undefined) throw new NunectError('INVALID_OPTIONS', 'no sequence to delete');
      await source.deleteMessage(target.stream, target.seq);
    } else {
      if (!target.consumer) throw new NunectError('INVALID_OPTIONS', 'no consumer to delete');
      await source.deleteConsumer(target.stream, target.consumer);
    }
  } catch (err) {
    ({ outcome, message } = outcomeOf(err));
  }
  const audit: AuditTarget = { stream: target.stream };
  if (account) audit.account = account;
  if (target.subject) audit.subject = target.subject;
  if (target.seq !== undefined) audit.seq = target.seq;
  if (target.consumer) audit.consumer = target.consumer;
  const audited = recordAudit(client, {
    time: new Date(time).toISOString(),
    action,
    who,
    target: audit,
    outcome,
    ...(message ? { message } : {}),
  });
  return { action, target, outcome, ...(message ? { message } : {}), ...(purged !== undefined ? { purged } : {}), audited };
}
