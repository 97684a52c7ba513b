/**
 * Acting on the cluster (nats-server 2.10+, a system-account user allowed to): disconnect a client
 * (`$SYS.REQ.SERVER.<id>.KICK`), ask it to move to another server (`…LDM`, lame duck for one
 * client: it reconnects elsewhere without losing data), reload a server's configuration
 * (`…RELOAD`). Each resolves with an {@link AdminResult} — it never throws — and
 * {@link recordAudit} publishes what was done on `ops.audit.<action>`. Lit-free.
 */
import type { NunectClient } from './client.js';
import { subjectMatches } from './subjects.js';
import { NunectError } from './errors.js';
import type { ServerRef } from './monitor-types.js';

export type AdminAction = 'kick' | 'ldm' | 'reload';

/** How an action ended: `ok`; `no-such-client`; `refused` (permissions); `unsupported` (a server older than 2.10); `no-reply`; `failed` (the server's error). */
export type AdminOutcome = 'ok' | 'no-such-client' | 'refused' | 'unsupported' | 'no-reply' | 'failed';

export interface AdminResult {
  action: AdminAction;
  serverId: string;
  cid?: number;
  outcome: AdminOutcome;
  /** The server that answered. */
  server?: ServerRef;
  /** What went wrong, for people (the server's description, with line numbers for a config error). */
  message?: string;
}

const SUBJECT: Record<AdminAction, string> = { kick: 'KICK', ldm: 'LDM', reload: 'RELOAD' };
const decoder = new TextDecoder();

async function act(client: NunectClient, action: AdminAction, serverId: string, cid: number | undefined, timeout: number): Promise<AdminResult> {
  const base = { action, serverId, ...(cid !== undefined ? { cid } : {}) };
  let data: Uint8Array;
  try {
    // A malformed body gets no reply at all (only a server log line): send exactly `{"cid":N}`.
    const msg = await client.request(`$SYS.REQ.SERVER.${serverId}.${SUBJECT[action]}`, cid !== undefined ? JSON.stringify({ cid }) : '', { timeout });
    data = msg.data;
  } catch (err) {
    const code = err instanceof NunectError ? err.code : 'NATS';
    if (code === 'PERMISSION_DENIED') return { ...base, outcome: 'refused', message: `not allowed: ${(err as Error).message}` };
    if (code === 'NO_RESPONDERS')
      return { ...base, outcome: 'unsupported', message: `${SUBJECT[action]} needs nats-server 2.10 or later (nobody answers it here)` };
    if (code === 'TIMEOUT') return { ...base, outcome: 'no-reply', message: `no reply from the server within ${timeout} ms` };
    return { ...base, outcome: 'failed', message: (err as Error).message };
  }
  let reply: { server?: ServerRef; error?: { code?: number; description?: string } };
  try {
    reply = JSON.parse(decoder.decode(data));
  } catch {
    return { ...base, outcome: 'failed', message: 'the reply is not JSON' };
  }
  const server = reply.server;
  if (reply.error) {
    const description = String(reply.error.description ?? 'the server refused it');
    const outcome: AdminOutcome = /no such client/i.test(description) ? 'no-such-client' : 'failed';
    return { ...base, outcome, server, message: description };
  }
  return { ...base, outcome: 'ok', server };
}

/** Disconnects client `cid` of server `serverId` (it usually reconnects: a kick is not a ban). */
export function kickClient(client: NunectClient, serverId: string, cid: number, timeout = 5_000): Promise<AdminResult> {
  return act(client, 'kick', serverId, cid, timeout);
}

/** Asks client `cid` of server `serverId` to move to another server of the cluster (lame duck). */
export function moveClient(client: NunectClient, serverId: string, cid: number, timeout = 5_000): Promise<AdminResult> {
  return act(client, 'ldm', serverId, cid, timeout);
}

/** Reloads the configuration of server `serverId`; a config error comes back with its line numbers. */
export function reloadServer(client: NunectClient, serverId: string, timeout = 10_000): Promise<AdminResult> {
  return act(client, 'reload', serverId, undefined, timeout);
}

/**
 * A destructive action on an account's data (the data widgets): purge a stream (or one subject of
 * it), delete a message, delete a consumer, put or delete a KV key.
 */
export type DataAction = 'purge' | 'delete-message' | 'delete-consumer' | 'kv-put' | 'kv-delete';

/** How a data action ended: `ok`; `refused` (permissions); `not-found`; `no-reply`; `failed`. */
export type DataOutcome = 'ok' | 'refused' | 'not-found' | 'no-reply' | 'failed';

/** What an action was done to: a server (and a client of it), or an account's data. */
export interface AuditTarget {
  serverId?: string;
  server?: string;
  cid?: number;
  client?: string;
  account?: string;
  user?: string;
  stream?: string;
  /** A purge of one subject, or the subject of a deleted message. */
  subject?: string;
  seq?: number;
  consumer?: string;
  bucket?: string;
  key?: string;
}

/**
 * One line of the audit trail on `ops.audit.<action>`. In a service account the record reaches
 * the OPS account's `OPS_AUDIT` stream through its `ops.>` export (config/links.conf).
 */
export interface AuditRecord {
  /** ISO 8601. */
  time: string;
  action: AdminAction | DataAction;
  /** Who did it: the login's user name, when it has one. */
  who?: string;
  /** What it was done to: the server and the client for kick and ldm; the stream, consumer or key for data actions. */
  target: AuditTarget;
  outcome: AdminOutcome | DataOutcome;
  message?: string;
}

export const AUDIT_SUBJECTS = 'ops.audit.>';

/**
 * Publishes the record on `ops.audit.<action>` (the event log shows them). Never throws: an audit
 * record that cannot be sent is reported as false.
 */
export function recordAudit(client: NunectClient, record: AuditRecord): boolean {
  try {
    client.publish(`ops.audit.${record.action}`, JSON.stringify(record));
    return true;
  } catch {
    return false;
  }
}

/** What the logged-in user may do, from `$SYS.REQ.USER.INFO` (nats-server 2.10+). */
export interface UserRights {
  /** Whether the server told (false on 2.9, or when the user may not ask). */
  known: boolean;
  user?: string;
  account?: string;
  /** Whether the user may publish to `subject` (true when not known: the server decides). */
  mayPublish(subject: string): boolean;
  /** Why the rights are not known, for people. */
  reason?: string;
}

interface PermissionList {
  allow?: string[];
  deny?: string[];
}

/** Asks the server what this connection's user may do. Never throws. */
export async function userRights(client: NunectClient, timeout = 3_000): Promise<UserRights> {
  const unknown = (reason: string): UserRights => ({ known: false, reason, mayPublish: () => true });
  let reply: { data?: { user?: string; account?: string; permissions?: { publish?: PermissionList } }; error?: { description?: string } };
  try {
    reply = (await client.request('$SYS.REQ.USER.INFO', '', { timeout })).json();
  } catch (err) {
    const code = err instanceof NunectError ? err.code : 'NATS';
    if (code === 'NO_RESPONDERS') return unknown("this server (before 2.10) cannot tell a user's rights");
    if (code === 'PERMISSION_DENIED') return unknown('this user may not ask for its rights ($SYS.REQ.USER.INFO)');
    return unknown(`the server did not say (${(err as Error).message})`);
  }
  if (!reply.data) return unknown(reply.error?.description ?? 'the server did not say');
  const pub = reply.data.permissions?.publish;
  const mayPublish = (subject: string) => {
    if (pub?.deny?.some((p) => subjectMatches(p, subject))) return false;
    return !pub?.allow || pub.allow.some((p) => subjectMatches(p, subject));
  };
  return { known: true, user: reply.data.user, account: reply.data.account, mayPublish };
}
