/**
 * What `<nunect-servers>` shows of each server and of the cluster, without Lit: the row of a
 * server (VARZ with its JSZ, HEALTHZ and STATSZ replies), the JetStream role, the health, version
 * skew, the totals, the clusters, and whether this user may reload a server's configuration.
 */
import type { UserRights } from '../../client/admin.js';
import type { Jsz, MonitorReply, ServerRef, Varz } from '../../client/monitor-types.js';
import { featureMissing, serverHas } from '../../src/monitor/features.js';
import { COUNTERS, type Counter } from '../varz/varz-trends.js';

/** The HEALTHZ reply of one server (`error`/`errors` when it is not healthy). */
export interface Healthz {
  status?: string;
  status_code?: number;
  error?: string;
  errors?: Array<{ type?: string; id?: string; error?: string; description?: string }>;
}

/** The part of a STATSZ reply this widget reads. */
export interface ServerStats {
  active_servers?: number;
  gateways?: Array<{ name?: string }>;
}

export interface ServerRow {
  name: string;
  server: ServerRef;
  varz: Varz;
  cluster?: string;
  /** Rates per second (after the second poll). */
  rates: Partial<Record<Counter, number>>;
  /** `meta leader`, `follower`, `standalone` or `–` (no JetStream, or no reply). */
  role: string;
  /** The role needs a look (a follower without a meta leader). */
  roleWarn: boolean;
  health?: { ok: boolean; text: string };
  /** Outbound gateways (STATSZ); undefined when STATSZ did not answer. */
  gateways?: number;
  /** It runs another version than most servers. */
  skewed: boolean;
}

/** The replies of the other kinds, by server name. */
function byName<T>(replies: readonly MonitorReply<T>[] | undefined): Map<string, MonitorReply<T>> {
  return new Map((replies ?? []).map((r) => [r.server.name, r]));
}

/** The JetStream role of a server from its JSZ reply. */
export function jetStreamRole(reply: MonitorReply<Jsz> | undefined): { role: string; warn: boolean } {
  const j = reply?.data;
  if (!j || j.disabled || reply.server.jetstream === false) return { role: '–', warn: false };
  const meta = j.meta_cluster;
  if (!meta) return { role: 'standalone', warn: false };
  if (!meta.leader) return { role: 'follower (no meta leader)', warn: true };
  return { role: meta.leader === reply.server.name ? 'meta leader' : 'follower', warn: false };
}

/** `ok`, or the status with the server's reasons. */
export function healthOf(reply: MonitorReply<Healthz> | undefined): ServerRow['health'] {
  if (!reply) return undefined;
  if (reply.error) return { ok: false, text: reply.error.description };
  const h = reply.data ?? {};
  if (h.status === 'ok') return { ok: true, text: 'ok' };
  const reasons = [h.error, ...(h.errors ?? []).map((e) => e.description ?? e.error)].filter((x): x is string => !!x);
  return { ok: false, text: [h.status ?? 'unknown', ...reasons].join(': ') };
}

/** One row per server that answered VARZ, with what JSZ, HEALTHZ and STATSZ say of it. */
export function serverRows(
  varz: readonly MonitorReply<Varz>[],
  others: { jsz?: readonly MonitorReply<Jsz>[]; healthz?: readonly MonitorReply<Healthz>[]; statsz?: readonly MonitorReply<ServerStats>[] },
  rates: (serverId: string) => Partial<Record<Counter, number>> | undefined,
): ServerRow[] {
  const jsz = byName(others.jsz);
  const health = byName(others.healthz);
  const stats = byName(others.statsz);
  const answered = varz.filter((r) => r.data);
  const reference = skewReference(answered.map((r) => r.data!.version));
  return answered.map((r) => {
    const name = r.server.name;
    const { role, warn } = jetStreamRole(jsz.get(name));
    const statsz = stats.get(name)?.data;
    const cluster = r.server.cluster ?? (r.data!.cluster as { name?: string } | undefined)?.name;
    return {
      name,
      server: r.server,
      varz: r.data!,
      cluster: cluster || undefined,
      rates: rates(r.server.id) ?? {},
      role,
      roleWarn: warn,
      health: healthOf(health.get(name)),
      gateways: statsz ? (statsz.gateways?.length ?? 0) : undefined,
      skewed: reference !== undefined && r.data!.version !== reference,
    };
  });
}

/** The version most servers run (ties: the newest); none when all run the same. */
export function skewReference(versions: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of versions) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size < 2) return undefined;
  return [...counts].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0], undefined, { numeric: true }))[0]![0];
}

export interface Totals {
  connections: number;
  subscriptions: number;
  slowConsumers: number;
  memory: number;
  /** Sums of the servers' rates; a counter without any rate yet is missing. */
  rates: Partial<Record<Counter, number>>;
}

/** Sums over the servers that answered. */
export function totals(rows: readonly ServerRow[]): Totals {
  const sum = (f: (v: Varz) => number) => rows.reduce((t, r) => t + (f(r.varz) || 0), 0);
  const rates: Partial<Record<Counter, number>> = {};
  for (const c of COUNTERS) {
    const known = rows.map((r) => r.rates[c]).filter((x): x is number => x !== undefined);
    if (known.length) rates[c] = known.reduce((a, b) => a + b, 0);
  }
  return {
    connections: sum((v) => v.connections),
    subscriptions: sum((v) => v.subscriptions),
    slowConsumers: sum((v) => v.slow_consumers),
    memory: sum((v) => v.mem),
    rates,
  };
}

/** The clusters and how many servers each has (answering and absent), by name; `undefined`: not clustered. */
export function clusters(names: ReadonlyArray<string | undefined>): Array<{ name?: string; servers: number }> {
  const counts = new Map<string | undefined, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([name, servers]) => ({ name, servers })).sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff'));
}

/** The subject of a configuration reload of one server. */
export function reloadSubject(serverId: string): string {
  return `$SYS.REQ.SERVER.${serverId}.RELOAD`;
}

/**
 * Why this user cannot reload the configuration of `server` from here (undefined: it can): the
 * server is older than 2.10, the rights are not known (yet, or at all), or they exclude the subject.
 */
export function reloadBlocked(server: { id: string; name: string; version?: string }, rights: UserRights | undefined, asking: boolean): string | undefined {
  if (!serverHas(server.version, 'reload')) return featureMissing('reload', { name: server.name, version: server.version });
  if (!rights) return asking ? 'Checking what this user may do…' : 'Not connected.';
  if (!rights.known) return `Whether this user may reload it is not known: ${rights.reason ?? 'the server did not say'}.`;
  const subject = reloadSubject(server.id);
  return rights.mayPublish(subject) ? undefined : `${rights.user ?? 'This user'} may not publish ${subject}.`;
}
