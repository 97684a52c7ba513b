/**
 * Acting on connections from `<nunect-connz>`, without Lit: what a connection to act on is, whether
 * this user may disconnect it (KICK) or ask it to move (LDM) on its server, what a confirmation
 * previews, the audit record of each action, the selection of every connection matching an
 * account, user or name across the servers, and the DISCONNECT event that confirms an action.
 */
import type { AdminAction, AdminOutcome, AuditRecord, UserRights } from '../../client/admin.js';
import type { Connz, MonitorParams, MonitorReply } from '../../client/monitor-types.js';
import { featureMissing, serverHas, type FeatureName } from '../../src/monitor/features.js';
import { formatNumber } from '../../src/monitor/format.js';
import { parseEvent } from '../event-log/parse-event.js';
import { CONNZ_MAX_LIMIT, rowsMatching, rowsOf, type ConnzRow } from './connz-query.js';

/** The actions on a connection: disconnect it (KICK), ask it to move to another server (LDM). */
export type ConnzAction = Extract<AdminAction, 'kick' | 'ldm'>;

/** What the widget says of an action. */
export const ACTIONS: Readonly<Record<ConnzAction, { label: string; feature: FeatureName; subject: string }>> = {
  kick: { label: 'Disconnect', feature: 'kick', subject: 'KICK' },
  ldm: { label: 'Ask to move', feature: 'lameDuckClient', subject: 'LDM' },
};

/** A connection to act on, as it was when chosen (the rows change under it). */
export interface ConnzTarget {
  /** `<server id>:<cid>`, as the row's key. */
  key: string;
  serverId: string;
  /** The server's name. */
  server: string;
  /** The server's nats-server version. */
  version?: string;
  cid: number;
  /** The client's connection name. */
  name?: string;
  account?: string;
  user?: string;
}

export function targetOf(r: ConnzRow): ConnzTarget {
  const { c, server } = r;
  return { key: r.key, serverId: server.id, server: server.name, version: server.ver, cid: c.cid, name: c.name, account: c.account, user: c.authorized_user };
}

/** The subject of an action on a server: `$SYS.REQ.SERVER.<id>.KICK` or `….LDM`. */
export function actionSubject(action: ConnzAction, serverId: string): string {
  return `$SYS.REQ.SERVER.${serverId}.${ACTIONS[action].subject}`;
}

/**
 * Why this user cannot do `action` on the target's server (undefined: it can): the server is older
 * than 2.10, the user's rights are not known yet or at all, or they do not include the subject.
 */
export function actionBlocked(
  action: ConnzAction,
  server: { serverId: string; server: string; version?: string },
  rights: UserRights | undefined,
): string | undefined {
  const feature = ACTIONS[action].feature;
  if (!serverHas(server.version, feature)) return featureMissing(feature, { name: server.server, version: server.version });
  if (!rights) return 'Checking what this user may do…';
  if (!rights.known) return `The server did not say what this user may do (${rights.reason ?? 'no answer'}).`;
  const subject = actionSubject(action, server.serverId);
  if (!rights.mayPublish(subject)) return `${rights.user ?? 'This user'} may not publish ${subject}.`;
  return undefined;
}

/** "12 connections on 3 servers" (every number through `formatNumber`). */
export function targetsSummary(targets: readonly Pick<ConnzTarget, 'serverId'>[]): string {
  const servers = new Set(targets.map((t) => t.serverId)).size;
  const n = targets.length;
  return `${formatNumber(n)} ${n === 1 ? 'connection' : 'connections'} on ${formatNumber(servers)} ${servers === 1 ? 'server' : 'servers'}`;
}

/** The outcomes as the results say them. */
export const OUTCOME_LABELS: Readonly<Record<AdminOutcome, string>> = {
  ok: 'ok',
  'no-such-client': 'no such client',
  refused: 'refused',
  unsupported: 'unsupported',
  'no-reply': 'no reply',
  failed: 'failed',
};

/** The audit record of an action on a target, done or refused (`time`: ms since the epoch). */
export function auditRecord(
  action: ConnzAction,
  target: ConnzTarget,
  result: { outcome: AdminOutcome; message?: string },
  who: string | undefined,
  time: number,
): AuditRecord {
  return {
    time: new Date(time).toISOString(),
    action,
    who,
    target: { serverId: target.serverId, server: target.server, cid: target.cid, client: target.name, account: target.account, user: target.user },
    outcome: result.outcome,
    ...(result.message ? { message: result.message } : {}),
  };
}

/** The events that confirm an action: the server's DISCONNECT advisory of the connection. */
export const CONFIRM_SUBJECTS = ['$SYS.ACCOUNT.*.DISCONNECT'] as const;

/** The connection (row key) and reason of a DISCONNECT event (undefined: another event). */
export function disconnectOf(subject: string, data: unknown): { key: string; reason: string } | undefined {
  const row = parseEvent(subject, data);
  if (row.type !== 'disconnect' || !row.serverId || row.cid === undefined) return undefined;
  return { key: `${row.serverId}:${row.cid}`, reason: row.reason ?? '' };
}

/** The reason nats-server gives a connection it closed on a KICK request. */
export const KICKED_REASON = 'Kicked';

/** What a DISCONNECT event says of an action that was sent. */
export function confirmation(action: ConnzAction, reason: string): string {
  if (action === 'kick') return reason === KICKED_REASON ? 'confirmed: disconnected' : `disconnected (${reason || 'no reason given'})`;
  return `confirmed: left the server (${reason || 'no reason given'})`;
}

/** What "select all matching" compares. */
export type MatchField = 'account' | 'user' | 'name';

export const MATCH_LABELS: Readonly<Record<MatchField, string>> = { account: 'Account', user: 'User', name: 'Client name' };

/**
 * The survey for "select all matching": open connections with their users, filtered by the server
 * for an account (`acc`) or a user (`user`); a name is filtered in the browser (the server cannot).
 */
export function matchParams(field: MatchField, value: string): MonitorParams {
  const v = value.trim();
  return { auth: true, state: 0, limit: CONNZ_MAX_LIMIT, acc: field === 'account' ? v : undefined, user: field === 'user' ? v : undefined };
}

/** The connections of the replies that match (account and user exactly, the name as a part, any case). */
export function matchRows(replies: readonly MonitorReply<Connz>[], field: MatchField, value: string): ConnzRow[] {
  const v = value.trim();
  const rows = replies.filter((r) => !r.error).flatMap((r) => rowsOf(r));
  if (field === 'name') return rowsMatching(rows, v);
  return rows.filter((r) => (field === 'account' ? r.c.account : r.c.authorized_user) === v);
}

/** Servers with more matches than one request brings ("select all matching" takes their first 1,024). */
export function matchCut(replies: readonly MonitorReply<Connz>[]): Array<{ server: string; total: number }> {
  return replies.filter((r) => (r.data?.total ?? 0) > (r.data?.connections?.length ?? 0)).map((r) => ({ server: r.server.name, total: r.data!.total }));
}

/**
 * Runs `act` on every item, at most `parallel` at a time, and hands each result to `done` as it
 * comes. `act` must not throw (the admin requests never do).
 */
export async function runAll<T, R>(items: readonly T[], parallel: number, act: (item: T) => Promise<R>, done: (item: T, result: R) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      done(item, await act(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, items.length)) }, worker));
}
