import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatNumber, formatRtt } from '../../src/monitor/format.js';
import type { PollSnapshot } from '../../src/monitor/poller.js';
import type { Gatewayz, LeafInfo, Leafz, MonitorReply, RemoteGateway, RouteInfo, Routez, ServerRef, Statsz, Traffic } from '../../client/monitor-types.js';
import { absentNotice, absentOf } from '../../src/parts/absent.js';
import { renderTable, withServerColumn, type TableColumn } from '../../src/parts/table.js';
import { routezStyles } from './nunect-routez.styles.js';

type Section<T> = { title: string; what: string; poll: PollController<T> };

function address(ip: string | undefined, port: number | undefined): string {
  if (!ip) return '–';
  return ip.includes(':') ? `[${ip}]:${port ?? ''}` : `${ip}:${port ?? ''}`;
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

interface OnServer {
  server: ServerRef;
}
interface RouteRow extends OnServer {
  route: RouteInfo;
  /** The remote server's name (ROUTEZ of 2.10+, else STATSZ). */
  name?: string;
}
interface GatewayRow extends OnServer {
  name: string;
  direction: string;
  gw: RemoteGateway;
}
interface LeafRow extends OnServer {
  leaf: LeafInfo;
}

/** Messages and bytes in and out of a connection. */
function trafficColumns<R>(traffic: (row: R) => Partial<Traffic>): TableColumn<R>[] {
  return [
    { id: 'in_msgs', label: 'Msgs in', numeric: true, cell: (r) => formatCount(traffic(r).in_msgs) },
    { id: 'out_msgs', label: 'Msgs out', numeric: true, cell: (r) => formatCount(traffic(r).out_msgs) },
    { id: 'in_bytes', label: 'Bytes in', numeric: true, cell: (r) => formatBytes(traffic(r).in_bytes) },
    { id: 'out_bytes', label: 'Bytes out', numeric: true, cell: (r) => formatBytes(traffic(r).out_bytes) },
  ];
}

const badge = (text: string) => html`<span class="badge">${text}</span>`;

/** The account a route is pinned to (`account`, nats-server 2.10+; shown when some route has one). */
const ROUTE_ACCOUNT: TableColumn<RouteRow> = { id: 'account', label: 'Pinned account', cell: ({ route }) => route.account || '–' };

const ROUTE_COLUMNS: readonly TableColumn<RouteRow>[] = [
  {
    id: 'remote',
    label: 'Remote server',
    cell: ({ route, name }) =>
      html`${name ?? nothing} <span class=${name ? 'id muted mono' : 'mono'}>${route.remote_id ? `${route.remote_id.slice(0, 12)}…` : '–'}</span>`,
  },
  { id: 'address', label: 'Address', cellClass: 'mono', cell: ({ route }) => address(route.ip, route.port) },
  { id: 'direction', label: 'Direction', cell: ({ route }) => badge(route.did_solicit ? 'outbound' : 'inbound') },
  ...trafficColumns<RouteRow>((r) => r.route),
  { id: 'subscriptions', label: 'Subscriptions', numeric: true, cell: ({ route }) => formatCount(route.subscriptions) },
  {
    id: 'pending',
    label: 'Pending',
    numeric: true,
    cell: ({ route }) => (route.pending_size ? html`<span class="pending">${formatBytes(route.pending_size)}</span>` : formatBytes(route.pending_size)),
  },
  { id: 'rtt', label: 'RTT', numeric: true, cell: ({ route }) => formatRtt(route.rtt) },
];

const GATEWAY_COLUMNS: readonly TableColumn<GatewayRow>[] = [
  { id: 'gateway', label: 'Gateway', cell: ({ name, gw }) => html`${name}${gw.configured ? html` <span class="muted">(configured)</span>` : nothing}` },
  { id: 'direction', label: 'Direction', cell: ({ direction }) => badge(direction) },
  { id: 'address', label: 'Address', cellClass: 'mono', cell: ({ gw }) => address(gw.connection?.ip, gw.connection?.port) },
  { id: 'rtt', label: 'RTT', numeric: true, cell: ({ gw }) => formatRtt(gw.connection?.rtt) },
  ...trafficColumns<GatewayRow>((r) => r.gw.connection ?? {}),
  { id: 'subscriptions', label: 'Subscriptions', numeric: true, cell: ({ gw }) => formatCount(gw.connection?.subscriptions) },
];

const LEAF_COLUMNS: readonly TableColumn<LeafRow>[] = [
  { id: 'account', label: 'Account', cell: ({ leaf }) => leaf.account || '–' },
  { id: 'remote', label: 'Remote', cell: ({ leaf }) => html`${leaf.name || '–'}${leaf.is_spoke ? html` <span class="muted">(spoke)</span>` : nothing}` },
  { id: 'address', label: 'Address', cellClass: 'mono', cell: ({ leaf }) => address(leaf.ip, leaf.port) },
  { id: 'rtt', label: 'RTT', numeric: true, cell: ({ leaf }) => formatRtt(leaf.rtt) },
  ...trafficColumns<LeafRow>((r) => r.leaf),
  { id: 'subscriptions', label: 'Subscriptions', numeric: true, cell: ({ leaf }) => formatCount(leaf.subscriptions) },
];

/**
 * How the servers are connected: the routes between the servers of a cluster, the gateways
 * between clusters (super-cluster) and the leaf node connections — one table each, across every
 * server that answers; the servers that do not answer (or stopped) are named above the tables.
 * A route pinned to an account (nats-server 2.10+) shows that account. Needs a user of the system
 * account.
 *
 * Server names of routes: nats-server 2.10+ reports them in ROUTEZ (`remote_name`); for older
 * servers (2.9) the widget also polls STATSZ, whose `routes[].name` has them, but only while a
 * route without a name is shown.
 *
 * @tag nunect-routez
 * @summary Routes, gateways and leaf nodes.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart section - One of the three sections (routes, gateways, leaf nodes).
 * @csspart table - A section's table.
 * @csspart empty - The line that says a section has nothing (e.g. not clustered).
 * @csspart absent - The line naming the servers that do not answer, stopped or are in lame-duck mode.
 *
 * @cssprop --nunect-routez-gap - Space between the sections.
 * @cssprop --nunect-routez-header-background - Background of the tables' header rows.
 * @cssprop --nunect-routez-scroll-shadow - Colour of the shadow at a table's right edge while more columns lie beyond it.
 * @cssprop --nunect-routez-empty-background - Background of the "nothing here" lines.
 * @cssprop --nunect-routez-badge-background - Background of the direction badges.
 * @cssprop --nunect-routez-pending-color - Colour of a route's pending bytes when not zero.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectRoutez extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...routezStyles];

  /** Milliseconds between polls (one ROUTEZ, GATEWAYZ and LEAFZ poll each, shared with other widgets). */
  @property({ type: Number }) interval = 5_000;

  readonly #routes = new PollController<Routez>(this, this.hubs, () => ({ kind: 'ROUTEZ', interval: this.interval }));
  readonly #gateways = new PollController<Gatewayz>(this, this.hubs, () => ({ kind: 'GATEWAYZ', interval: this.interval }));
  readonly #leafs = new PollController<Leafz>(this, this.hubs, () => ({ kind: 'LEAFZ', interval: this.interval }));
  /** Route names for servers whose ROUTEZ has none (2.9): polled only while such a route is shown. */
  readonly #statsz = new PollController<Statsz>(this, this.hubs, () => (this.#needRouteNames() ? { kind: 'STATSZ', interval: this.interval } : undefined));

  get #snapshots(): PollSnapshot<unknown>[] {
    return [this.#routes.snapshot, this.#gateways.snapshot, this.#leafs.snapshot];
  }

  #needRouteNames(): boolean {
    return !!this.#routes.snapshot.replies?.some((r) => r.data?.routes?.some((route) => !route.remote_name));
  }

  protected override computeState(): WidgetState {
    const snapshots = this.#snapshots;
    // Ready once every section has an answer (data or an error), so no section flashes "empty".
    const settled = snapshots.every((s) => s.replies || s.error);
    const hasData = settled && snapshots.some((s) => s.replies);
    return widgetState(this.hubs.status, hasData, settled ? snapshots.find((s) => s.error)?.error : undefined);
  }

  override render() {
    const error = this.#snapshots.find((s) => s.error)?.error;
    const showing = this.state === 'ready' || this.state === 'stale';
    return html`${this.renderStatus(error, 'cluster connections')}
    ${
      showing
        ? html`${absentNotice(absentOf(...this.#snapshots), this.now(), 'Not in these tables:')}
          ${this.#section({ title: 'Routes', what: 'routes', poll: this.#routes }, (r) => this.#renderRoutes(r))}
          ${this.#section({ title: 'Gateways', what: 'gateways', poll: this.#gateways }, (r) => this.#renderGateways(r))}
          ${this.#section({ title: 'Leaf nodes', what: 'leaf nodes', poll: this.#leafs }, (r) => this.#renderLeafs(r))}`
        : nothing
    }`;
  }

  #section<T>(section: Section<T>, body: (replies: MonitorReply<T>[]) => TemplateResult) {
    const { replies, error } = section.poll.snapshot;
    const id = section.what.replace(/\s+/g, '-');
    return html`<section part="section" aria-labelledby=${`${id}-title`}>
      ${
        replies
          ? body(replies.filter((r) => r.data))
          : html`<h2 id=${`${id}-title`}>${section.title}</h2>
              <p class="empty ${error ? 'failed' : ''}" part="empty">
                ${error ? `Could not load the ${section.what}: ${error.message}` : `Loading the ${section.what}…`}
              </p>`
      }
    </section>`;
  }

  #heading(id: string, title: string, count: string | undefined) {
    return html`<h2 id=${id}>${title}${count ? html` <span class="count muted">${count}</span>` : nothing}</h2>`;
  }

  #routeName(server: ServerRef, route: RouteInfo): string | undefined {
    if (route.remote_name) return route.remote_name;
    const stats = this.#statsz.snapshot.replies?.find((r) => r.server.id === server.id);
    return stats?.data?.routes?.find((s) => s.rid === route.rid)?.name || undefined;
  }

  #renderRoutes(replies: MonitorReply<Routez>[]) {
    const many = replies.length > 1;
    const rows = replies.flatMap((r) => (r.data!.routes ?? []).map((route): RouteRow => ({ server: r.server, route, name: this.#routeName(r.server, route) })));
    if (!rows.length) {
      return html`${this.#heading('routes-title', 'Routes', undefined)}
        <p class="empty" part="empty">${many ? 'No routes (these servers are not clustered).' : 'No routes (this server is not clustered).'}</p>`;
    }
    const count = many ? `${plural(rows.length, 'route', 'routes')} on ${plural(replies.length, 'server', 'servers')}` : plural(rows.length, 'route', 'routes');
    const columns = rows.some((r) => r.route.account) ? [...ROUTE_COLUMNS.slice(0, 1), ROUTE_ACCOUNT, ...ROUTE_COLUMNS.slice(1)] : ROUTE_COLUMNS;
    return html`${this.#heading('routes-title', 'Routes', count)} ${renderTable({ columns: withServerColumn(many, columns), rows, label: 'Routes' })}`;
  }

  #renderGateways(replies: MonitorReply<Gatewayz>[]) {
    const rows = replies.flatMap((r): GatewayRow[] => {
      const d = r.data!;
      const out = Object.entries(d.outbound_gateways ?? {}).map(([name, gw]) => ({ server: r.server, name, direction: 'outbound', gw }));
      const inb = Object.entries(d.inbound_gateways ?? {}).flatMap(([name, list]) =>
        (list ?? []).map((gw) => ({ server: r.server, name, direction: 'inbound', gw })),
      );
      return [...out, ...inb];
    });
    const local = [...new Set(replies.map((r) => r.data!.name).filter(Boolean))].join(', ');
    if (!rows.length) {
      return html`${this.#heading('gateways-title', 'Gateways', local ? `this cluster: ${local}` : undefined)}
        <p class="empty" part="empty">${local ? 'No gateway connections.' : 'No gateways (no super-cluster is configured).'}</p>`;
    }
    const count = `${plural(rows.length, 'connection', 'connections')}${local ? ` · this cluster: ${local}` : ''}`;
    return html`${this.#heading('gateways-title', 'Gateways', count)}
    ${renderTable({ columns: withServerColumn(replies.length > 1, GATEWAY_COLUMNS), rows, label: 'Gateways' })}`;
  }

  #renderLeafs(replies: MonitorReply<Leafz>[]) {
    const rows = replies.flatMap((r) => (r.data!.leafs ?? []).map((leaf): LeafRow => ({ server: r.server, leaf })));
    if (!rows.length) {
      return html`${this.#heading('leaf-nodes-title', 'Leaf nodes', undefined)}
        <p class="empty" part="empty">No leaf nodes connected.</p>`;
    }
    return html`${this.#heading('leaf-nodes-title', 'Leaf nodes', plural(rows.length, 'connection', 'connections'))}
    ${renderTable({ columns: withServerColumn(replies.length > 1, LEAF_COLUMNS), rows, label: 'Leaf nodes' })}`;
  }
}
