/**
 * The monitoring data kinds, as named in `$SYS.REQ.SERVER.PING.<KIND>` and `/<kind>` URLs.
 * `ACCSTATZ` (per-account statistics) is asked as `$SYS.REQ.ACCOUNT.PING.STATZ` and `/accstatz`.
 */
export const MONITOR_KINDS = ['VARZ', 'CONNZ', 'SUBSZ', 'ROUTEZ', 'GATEWAYZ', 'LEAFZ', 'JSZ', 'ACCOUNTZ', 'HEALTHZ', 'STATSZ', 'ACCSTATZ'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

/** Which server answered ($SYS reply envelope `server`). */
export interface ServerRef {
  name: string;
  id: string;
  ver?: string;
  host?: string;
  cluster?: string;
  jetstream?: boolean;
  time?: string;
}

/** One server's answer: data, or an error it reported. */
export interface MonitorReply<T = unknown> {
  server: ServerRef;
  data?: T;
  error?: { code?: number; description: string };
}

/** Options sent with a request; the HTTP query names (`{acc, auth, state, sort, limit, offset, subs}`). */
export type MonitorParams = Record<string, string | number | boolean | undefined>;

/** A subset of /varz that the widgets use; the rest is there too. */
export interface Varz {
  server_id: string;
  server_name: string;
  version: string;
  go?: string;
  host?: string;
  port?: number;
  start: string;
  now: string;
  uptime: string;
  mem: number;
  cores?: number;
  cpu: number;
  connections: number;
  total_connections: number;
  routes: number;
  remotes?: number;
  leafnodes: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  slow_consumers: number;
  subscriptions: number;
  max_connections?: number;
  max_payload?: number;
  jetstream?: { config?: Record<string, unknown>; stats?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface SubDetail {
  subject: string;
  qgroup?: string;
  sid?: string;
  msgs?: number;
  account?: string;
}

export interface ConnInfo {
  cid: number;
  kind?: string;
  type?: string;
  ip: string;
  port: number;
  start: string;
  last_activity: string;
  stop?: string;
  reason?: string;
  rtt?: string;
  uptime: string;
  idle: string;
  pending_bytes: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  subscriptions: number;
  name?: string;
  lang?: string;
  version?: string;
  tls_version?: string;
  authorized_user?: string;
  account?: string;
  name_tag?: string;
  subscriptions_list?: string[];
  subscriptions_list_detail?: SubDetail[];
  [key: string]: unknown;
}

export interface Connz {
  server_id: string;
  now: string;
  num_connections: number;
  total: number;
  offset: number;
  limit: number;
  connections: ConnInfo[];
}
