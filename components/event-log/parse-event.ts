/**
 * Turns one `$SYS` event message into a row of the event log. Pure and cheap: no Lit, no DOM, no
 * Intl, never throws. Anything it cannot read becomes an `other` row that keeps the subject and
 * says why, so nothing is dropped.
 *
 * Shapes (verified against nats-server 2.9.10 and 2.15.2, see test/fixtures/<ver>/events.json):
 * - `$SYS.ACCOUNT.<acc>.CONNECT`: `io.nats.server.advisory.v1.client_connect`, `{timestamp, server, client}`.
 * - `$SYS.ACCOUNT.<acc>.DISCONNECT`: `…client_disconnect`, plus `client.rtt` (integer ns),
 *   `client.stop`, `sent`/`received` `{msgs, bytes}` and `reason`.
 * - `$SYS.SERVER.<id>.CLIENT.AUTH.ERR`: the disconnect shape with `client.acc: "$G"`,
 *   `client.user` the user that was attempted and `reason: "Authentication Failure"`.
 * - `$SYS.ACCOUNT.<acc>.SERVER.CONNS`: `…account_connections`, `{acc, conns, leafnodes, total_conns, …}`.
 * - `ops.audit.<action>`: what an administrator did from a page (kick, ldm, reload; nunect's own
 *   record, client/admin.ts `AuditRecord`: `{time, action, who, target, outcome, message}`).
 * In operator mode accounts and users are public nkeys. `name_tag` is the user's name on 2.9 and the
 * account's name on 2.10+; the user JWT in the event names the user on both (src/monitor/names.ts).
 */

import { humanNames, isPublicKey, shortKey } from '../../src/monitor/names.js';

export { isPublicKey, shortKey };

/**
 * The `$SYS` subjects the event log subscribes to. (`$SYS.SERVER.ACCOUNT.<acc>.CONNS` repeats
 * `$SYS.ACCOUNT.<acc>.SERVER.CONNS` with the same event ID, so only the latter is taken.)
 */
export const EVENT_SUBJECTS = [
  '$SYS.ACCOUNT.*.CONNECT',
  '$SYS.ACCOUNT.*.DISCONNECT',
  '$SYS.SERVER.*.CLIENT.AUTH.ERR',
  '$SYS.ACCOUNT.*.SERVER.CONNS',
  'ops.audit.>',
] as const;

/** What kind of event a row is. */
export type EventType = 'connect' | 'disconnect' | 'auth-error' | 'conns' | 'audit' | 'other';

/** All types, in the order the filter shows them. */
export const EVENT_TYPES: readonly EventType[] = ['connect', 'disconnect', 'auth-error', 'conns', 'audit', 'other'];

/** Display labels of the types. */
export const TYPE_LABELS: Record<EventType, string> = {
  connect: 'Connect',
  disconnect: 'Disconnect',
  'auth-error': 'Auth error',
  conns: 'Account conns',
  audit: 'Admin action',
  other: 'Other',
};

/** One parsed event. Fields a given type does not carry are `undefined`. */
export interface EventRow {
  type: EventType;
  subject: string;
  /** The event's `timestamp` as sent (RFC 3339, nanoseconds). */
  timestamp?: string;
  /** The timestamp in epoch milliseconds (NaN-free: undefined when unreadable). */
  time?: number;
  server?: string;
  serverId?: string;
  account?: string;
  /** The account's human name (`name_tag` on 2.10+), only when it differs from `account`. */
  accountName?: string;
  /** The user's human name (the user JWT's name, or `name_tag` on 2.9), only when it differs from `user`. */
  userName?: string;
  user?: string;
  /** The client's connection name (`client.name`). */
  name?: string;
  /** The server's client ID (`client.id`, the connz `cid`). */
  cid?: number;
  /** The client's IP address (events carry the host only, no port). */
  host?: string;
  /** `websocket`, `nats`, `mqtt`, … (`client.client_type`). */
  clientType?: string;
  /** `Client`, `Leafnode`, … (`client.kind`); omitted when `Client`. */
  kind?: string;
  lang?: string;
  version?: string;
  reason?: string;
  sentMsgs?: number;
  sentBytes?: number;
  receivedMsgs?: number;
  receivedBytes?: number;
  /** Round-trip time in milliseconds (events send integer nanoseconds). */
  rttMs?: number;
  /** Account conns: current client connections, leaf nodes and total. */
  conns?: number;
  leafnodes?: number;
  totalConns?: number;
  /**
   * An echo of another event, hidden by default: nats-server 2.9's `$G` account-connections
   * event sent for every new connection before authentication moves it to its account, and
   * 2.10+'s `$G` DISCONNECT that repeats each authentication error.
   */
  echo?: boolean;
  /** Admin action: what was done (kick, ldm, reload), by whom, and how it ended (ok, refused, …). */
  action?: string;
  outcome?: string;
  /** Admin action: the server's error or the refusal, as sent. */
  message?: string;
  /** Why an `other` row is other (unknown type, not JSON, …). */
  note?: string;
  /** The message payload: the parsed JSON, or the text when it is not JSON. Kept for export. */
  data: unknown;
}

const CONNECT = 'io.nats.server.advisory.v1.client_connect';
const DISCONNECT = 'io.nats.server.advisory.v1.client_disconnect';
const CONNS = 'io.nats.server.advisory.v1.account_connections';
const GLOBAL = '$G';

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Epoch ms of an RFC 3339 timestamp with up to nanoseconds (`2026-11-29T15:03:48.720284965Z`). */
export function timestampMs(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  // Date.parse wants at most milliseconds in some engines: cut the fraction to 3 digits.
  const dot = ts.indexOf('.', 19);
  let s = ts;
  if (dot !== -1) {
    let end = dot + 1;
    while (end < ts.length && ts.charCodeAt(end) >= 48 && ts.charCodeAt(end) <= 57) end++;
    s = ts.slice(0, Math.min(end, dot + 4)) + ts.slice(end);
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RTT as events send it (integer nanoseconds; tolerate a Go duration string) → milliseconds. */
function rttMs(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n / 1e6;
  const s = str(v);
  if (!s) return undefined;
  const m = /^([\d.]+)(ns|us|µs|ms|s)$/.exec(s);
  if (!m) return undefined;
  const scale: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3 };
  return parseFloat(m[1]!) * scale[m[2]!]!;
}

function other(subject: string, data: unknown, note: string, base?: Obj): EventRow {
  const server = obj(base?.server);
  const timestamp = str(base?.timestamp);
  return { type: 'other', subject, data, note, timestamp, time: timestampMs(timestamp), server: str(server?.name), serverId: str(server?.id) };
}

/**
 * Parses one event. `data` is the payload: parsed JSON (an object), or the raw text when it was
 * not JSON (it then becomes an `other` row noting so).
 */
export function parseEvent(subject: string, data: unknown): EventRow {
  try {
    return parse(String(subject ?? ''), data);
  } catch {
    return { type: 'other', subject: String(subject ?? ''), data, note: 'unreadable event' };
  }
}

function parse(subject: string, data: unknown): EventRow {
  const d = obj(data);
  if (!d) return other(subject, data, typeof data === 'string' ? 'not JSON' : 'not an object');
  if (subject.startsWith('ops.audit.')) return audit(subject, data, d);
  const type = d.type;
  if (type === CONNS) {
    const account = str(d.acc);
    if (!account) return other(subject, data, 'account connections without an account', d);
    const server = obj(d.server);
    const timestamp = str(d.timestamp);
    const sent = obj(d.sent);
    const received = obj(d.received);
    return {
      type: 'conns',
      subject,
      data,
      timestamp,
      time: timestampMs(timestamp),
      server: str(server?.name),
      serverId: str(server?.id),
      account,
      accountName: nameTag(d.name_tag, account),
      conns: num(d.conns),
      leafnodes: num(d.leafnodes),
      totalConns: num(d.total_conns),
      sentMsgs: num(sent?.msgs),
      sentBytes: num(sent?.bytes),
      receivedMsgs: num(received?.msgs),
      receivedBytes: num(received?.bytes),
      echo: account === GLOBAL || undefined,
    };
  }
  if (type !== CONNECT && type !== DISCONNECT) {
    return other(subject, data, typeof type === 'string' ? `event type ${type}` : 'no event type', d);
  }
  const client = obj(d.client);
  if (!client) return other(subject, data, 'event without client', d);
  const authError = type === DISCONNECT && subject.endsWith('.CLIENT.AUTH.ERR');
  const server = obj(d.server);
  const timestamp = str(d.timestamp);
  const account = str(client.acc);
  const kind = str(client.kind);
  const row: EventRow = {
    type: authError ? 'auth-error' : type === CONNECT ? 'connect' : 'disconnect',
    subject,
    data,
    timestamp,
    time: timestampMs(timestamp),
    server: str(server?.name),
    serverId: str(server?.id),
    account,
    ...eventNames(client, account, str(server?.ver)),
    user: str(client.user),
    name: str(client.name),
    cid: num(client.id),
    host: str(client.host),
    clientType: str(client.client_type),
    kind: kind === 'Client' ? undefined : kind,
    lang: str(client.lang),
    version: str(client.ver),
  };
  if (type === DISCONNECT) {
    const sent = obj(d.sent);
    const received = obj(d.received);
    row.reason = str(d.reason);
    row.rttMs = rttMs(client.rtt);
    row.sentMsgs = num(sent?.msgs);
    row.sentBytes = num(sent?.bytes);
    row.receivedMsgs = num(received?.msgs);
    row.receivedBytes = num(received?.bytes);
    // 2.10+ also publishes each authentication error as a DISCONNECT of the global account.
    if (!authError && account === GLOBAL && row.reason === 'Authentication Failure') row.echo = true;
  }
  return row;
}

const ACTIONS: Record<string, string> = { kick: 'Disconnect', ldm: 'Ask to move', reload: 'Reload configuration' };

/** An admin action's audit record (ops.audit.<action>). */
function audit(subject: string, data: unknown, d: Obj): EventRow {
  const action = str(d.action) ?? subject.slice('ops.audit.'.length);
  const target = obj(d.target) ?? {};
  const timestamp = str(d.time);
  return {
    type: 'audit',
    subject,
    data,
    timestamp,
    time: timestampMs(timestamp),
    action: ACTIONS[action] ?? action,
    outcome: str(d.outcome),
    message: str(d.message),
    user: str(d.who),
    server: str(target.server) ?? str(target.serverId),
    serverId: str(target.serverId),
    cid: num(target.cid),
    name: str(target.client),
    account: str(target.account),
  };
}

/** Version-aware human names of the event's account and user (see src/monitor/names.ts). */
function eventNames(
  client: Record<string, unknown>,
  account: string | undefined,
  serverVersion: string | undefined,
): Pick<EventRow, 'accountName' | 'userName'> {
  const names = humanNames({ nameTag: client.name_tag, jwt: client.jwt, serverVersion });
  const user = str(client.user);
  return {
    accountName: names.account && names.account !== account ? names.account : undefined,
    userName: names.user && names.user !== user ? names.user : undefined,
  };
}

function nameTag(tag: unknown, account: string | undefined): string | undefined {
  const t = str(tag);
  return t && t !== account ? t : undefined;
}

/** An account as people read it: `name (ABCDEFGH…)` for keys with a name tag. */
/** `name (ABCDEFGH…)` for a user key with a known name; the short key or the plain user otherwise. */
export function userLabel(user: string, name?: string): string {
  return name ? `${name} (${shortKey(user)})` : shortKey(user);
}

export function accountLabel(account: string, name?: string): string {
  if (!name) return shortKey(account);
  return isPublicKey(account) ? `${name} (${shortKey(account)})` : `${name} (${account})`;
}

/** Lower-cased text that the free-text filter searches: names, user, IP, reason, server, account. */
export function searchText(row: EventRow): string {
  return [
    row.name,
    row.user,
    row.userName,
    row.host,
    row.reason,
    row.server,
    row.serverId,
    row.account,
    row.accountName,
    row.subject,
    row.note,
    row.action,
    row.outcome,
    row.message,
    row.clientType,
    row.lang,
  ]
    .filter(Boolean)
    .join('\u0001')
    .toLowerCase();
}
