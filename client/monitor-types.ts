/**
 * Every reply type of nats-server's monitoring (`$SYS.REQ.SERVER.*` and the HTTP monitor), for
 * the fetch code (./monitor.ts), the widgets and Node scripts. No Lit, no DOM.
 *
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

/** The ACCOUNTZ reply of one server (without `acc`: the list of accounts). */
export interface Accountz {
  server_id?: string;
  now?: string;
  system_account?: string;
  accounts?: string[];
}

/** One account in the `$SYS.REQ.ACCOUNT.PING.STATZ` reply of one server. */
export interface AccountStat {
  acc: string;
  name?: string;
  conns: number;
  leafnodes: number;
  total_conns: number;
  sent?: { msgs: number; bytes: number };
  received?: { msgs: number; bytes: number };
  slow_consumers?: number;
}

export interface AccountStatz {
  server_id?: string;
  now?: string;
  account_statz?: AccountStat[];
}

/** Traffic counters of one connection (route, gateway or leaf node), as the server counts them. */
export interface Traffic {
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
}

/** One route of ROUTEZ. `remote_name` exists from nats-server 2.10 on. */
export interface RouteInfo extends Traffic {
  rid: number;
  remote_id: string;
  remote_name?: string;
  did_solicit: boolean;
  is_configured?: boolean;
  ip: string;
  port: number;
  rtt?: string;
  uptime?: string;
  pending_size: number;
  subscriptions: number;
  account?: string;
  compression?: string;
}

export interface Routez {
  server_id: string;
  server_name?: string;
  now?: string;
  num_routes: number;
  routes: RouteInfo[] | null;
}

export interface GatewayConnection extends Partial<Traffic> {
  cid?: number;
  ip?: string;
  port?: number;
  rtt?: string;
  subscriptions?: number;
}

export interface RemoteGateway {
  configured: boolean;
  connection?: GatewayConnection;
}

export interface Gatewayz {
  server_id: string;
  now?: string;
  name?: string;
  host?: string;
  port?: number;
  outbound_gateways: Record<string, RemoteGateway> | null;
  inbound_gateways: Record<string, RemoteGateway[]> | null;
}

/** One leaf node connection of LEAFZ (`name` is the remote server's name, 2.10+). */
export interface LeafInfo extends Traffic {
  id?: number;
  name?: string;
  is_spoke?: boolean;
  account: string;
  ip: string;
  port: number;
  rtt?: string;
  subscriptions: number;
}

export interface Leafz {
  server_id: string;
  now?: string;
  leafnodes: number;
  leafs: LeafInfo[] | null;
}

/** The part of a STATSZ reply the widgets read. */
export interface Statsz {
  routes?: Array<{ rid: number; name?: string }>;
}

/** JetStream usage counters (server-wide or one account's). Unsigned 64-bit on the server. */
export interface JetStreamStats {
  memory: number;
  storage: number;
  reserved_memory: number;
  reserved_storage: number;
  accounts?: number;
  ha_assets?: number;
  api?: { total: number; errors: number; level?: number };
}

export interface ConsumerDetail {
  stream_name: string;
  name: string;
  config?: { durable_name?: string; ack_policy?: string; [key: string]: unknown };
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
}

export interface StreamDetail {
  name: string;
  created?: string;
  cluster?: { name?: string; leader?: string };
  config?: { subjects?: string[]; storage?: string; num_replicas?: number; retention?: string; [key: string]: unknown };
  state: { messages: number; bytes: number; consumer_count: number; [key: string]: unknown };
  consumer_detail?: ConsumerDetail[];
}

export interface AccountDetail extends JetStreamStats {
  name: string;
  id: string;
  stream_detail?: StreamDetail[];
}

/** The JSZ reply of one server (with `accounts`, `streams`, `consumer` and `config`). */
export interface Jsz extends Partial<JetStreamStats> {
  server_id: string;
  now?: string;
  disabled?: boolean;
  config?: { max_memory?: number; max_storage?: number; store_dir?: string; [key: string]: unknown };
  streams?: number;
  consumers?: number;
  messages?: number;
  bytes?: number;
  meta_cluster?: { name?: string; leader?: string; cluster_size?: number };
  account_details?: AccountDetail[];
}

/** One subscription as SUBSZ lists it (`cid` is the client connection on that server). */
export interface SubszEntry extends SubDetail {
  cid?: number;
  account_tag?: string;
}

/** The SUBSZ reply of one server: sublist statistics and (with `subscriptions: true`) a page of subscriptions. */
export interface Subsz {
  server_id?: string;
  now?: string;
  num_subscriptions: number;
  num_cache: number;
  num_inserts: number;
  num_removes: number;
  num_matches: number;
  cache_hit_rate: number;
  max_fanout: number;
  avg_fanout: number;
  total?: number;
  offset?: number;
  limit?: number;
  subscriptions_list?: SubszEntry[];
}
