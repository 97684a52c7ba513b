import { html, nothing } from 'lit';
import type { ConnInfo } from '../../client/monitor-types.js';
import { humanNames, isPublicKey, shortKey } from '../../src/monitor/names.js';
import { formatBytes, formatCount, formatDuration, formatRate, formatRtt, formatTime, parseGoDuration } from '../../src/monitor/format.js';
import type { ChooserColumn } from '../../src/controllers/column-chooser-controller.js';
import type { TableColumn } from '../../src/parts/table.js';
import { clientLabel, hostPort, type ConnzRates, type ConnzRow } from './connz-query.js';

/** What a cell needs, worked out once per row. */
export interface ConnzCell {
  r: ConnzRow;
  c: ConnInfo;
  rates?: ConnzRates;
  operator: boolean;
  names: { user?: string; account?: string };
  user: string;
  account: string;
  host: string;
  /** The current time (the connection's clock), for "today or another day". */
  now: number;
  client: string;
}

/** What a row's cells need: `operator` when the page shows operator-mode keys (names are looked up then). */
export function connzCell(r: ConnzRow, rates: ConnzRates | undefined, operator: boolean, now: number): ConnzCell {
  const { c } = r;
  const names = operator ? humanNames({ nameTag: c.name_tag, jwt: c.jwt, serverVersion: r.server.ver }) : {};
  return { r, c, rates, operator, names, user: c.authorized_user ?? '', account: c.account ?? '', host: hostPort(c), client: clientLabel(c), now };
}

/** A column of the connections table. */
export interface ConnzColumn extends TableColumn<ConnzCell>, ChooserColumn {
  /** Shown only with several servers (`multi`) or when closed connections are listed (`closed`). */
  only?: 'multi' | 'closed';
}

const rate = (id: string, label: string, counter: keyof ConnzRates, bytes: boolean, title?: string): ConnzColumn => ({
  id,
  label,
  numeric: true,
  title,
  cell: ({ rates }) => formatRate(rates?.[counter], bytes),
});

/** Every column, in table order; `name` is the identity column (always shown, sticky). */
export const COLUMNS: readonly ConnzColumn[] = [
  {
    id: 'name',
    label: 'Name',
    fixed: true,
    className: 'name',
    cellClass: 'text',
    cellTitle: ({ c }) => c.name ?? '',
    cell: ({ c }) => c.name || html`<span class="muted">(no name)</span>`,
  },
  { id: 'cid', label: 'CID', numeric: true, sortKey: 'cid', cellClass: 'mono', cell: ({ c }) => c.cid },
  { id: 'server', label: 'Server', only: 'multi', cell: ({ r }) => r.server.name },
  {
    id: 'account',
    label: 'Account',
    cellClass: 'text',
    cellTitle: ({ account }) => account,
    cell: ({ account, operator, names }) =>
      html`<span class="mono">${operator ? shortKey(account) : account}</span> ${names.account ? html` <span class="tag">${names.account}</span>` : nothing}`,
  },
  {
    id: 'user',
    label: 'User',
    cellClass: 'text',
    cellTitle: ({ user }) => user,
    cell: ({ user, operator, names }) =>
      html`${operator && isPublicKey(user) ? html`<span class="mono">${shortKey(user)}</span>` : user}
      ${names.user ? html` <span class="tag">${names.user}</span>` : nothing}`,
  },
  { id: 'address', label: 'Address', cellClass: 'mono', cell: ({ host }) => host },
  { id: 'client', label: 'Client', cell: ({ client }) => client },
  { id: 'uptime', label: 'Uptime', numeric: true, sortKey: 'uptime', cell: ({ c }) => formatDuration(parseGoDuration(c.uptime)) },
  { id: 'idle', label: 'Idle', numeric: true, sortKey: 'idle', cell: ({ c }) => formatDuration(parseGoDuration(c.idle)) },
  { id: 'rtt', label: 'RTT', numeric: true, sortKey: 'rtt', title: 'Round-trip time', cell: ({ c }) => formatRtt(c.rtt) },
  { id: 'subs', label: 'Subs', numeric: true, sortKey: 'subs', title: 'Subscriptions', cell: ({ c }) => formatCount(c.subscriptions) },
  {
    id: 'pending',
    label: 'Pending',
    numeric: true,
    sortKey: 'pending',
    title: 'Bytes waiting to be sent to the client',
    cell: ({ c }) => formatBytes(c.pending_bytes),
  },
  { id: 'msgs_in', label: 'Msgs in', numeric: true, sortKey: 'msgs_from', title: 'Messages published by the client', cell: ({ c }) => formatCount(c.in_msgs) },
  { id: 'msgs_out', label: 'Msgs out', numeric: true, sortKey: 'msgs_to', title: 'Messages delivered to the client', cell: ({ c }) => formatCount(c.out_msgs) },
  rate('msgs_rate_in', 'Msgs/s in', 'in_msgs', false, 'Messages per second from the client'),
  rate('msgs_rate_out', 'Msgs/s out', 'out_msgs', false, 'Messages per second to the client'),
  { id: 'bytes_in', label: 'Bytes in', numeric: true, sortKey: 'bytes_from', cell: ({ c }) => formatBytes(c.in_bytes) },
  { id: 'bytes_out', label: 'Bytes out', numeric: true, sortKey: 'bytes_to', cell: ({ c }) => formatBytes(c.out_bytes) },
  rate('bytes_rate_in', 'Bytes/s in', 'in_bytes', true),
  rate('bytes_rate_out', 'Bytes/s out', 'out_bytes', true),
  { id: 'start', label: 'Start', numeric: true, sortKey: 'start', cell: ({ c, now }) => formatTime(c.start, now) },
  {
    id: 'stop',
    label: 'Stop',
    numeric: true,
    sortKey: 'stop',
    only: 'closed',
    cellClass: 'closed',
    cell: ({ c, now }) => (c.stop ? formatTime(c.stop, now) : '–'),
  },
  {
    id: 'reason',
    label: 'Reason',
    sortKey: 'reason',
    only: 'closed',
    cellClass: 'text closed',
    cellTitle: ({ c }) => c.reason ?? '',
    cell: ({ c }) => c.reason ?? '–',
  },
];

/** Every column id, in table order (`name` is always shown). */
export const CONNZ_COLUMNS: readonly string[] = COLUMNS.map((c) => c.id);

/**
 * The columns shown until a user or the page chooses: who (name, CID, account, user, address,
 * client), for how long (uptime), subscriptions and the live rates; they fit a 1280-px page. Idle
 * time, the totals, pending bytes, RTT and start time are in the chooser. (Server, stop and reason
 * show only where they apply.)
 */
export const CONNZ_DEFAULT_COLUMNS: readonly string[] = [
  'cid',
  'server',
  'account',
  'user',
  'address',
  'client',
  'uptime',
  'subs',
  'msgs_rate_in',
  'msgs_rate_out',
  'bytes_rate_in',
  'bytes_rate_out',
  'stop',
  'reason',
];

/** The columns that apply (several servers, closed connections listed), in table order. */
export function applicableColumns(multi: boolean, closed: boolean): ConnzColumn[] {
  return COLUMNS.filter((col) => (col.only === 'multi' ? multi : col.only === 'closed' ? closed : true));
}
