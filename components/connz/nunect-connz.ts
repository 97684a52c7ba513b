import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { ColumnChooserController, columnsConverter, pageStorageKey } from '../../src/controllers/column-chooser-controller.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { RovingFocusController } from '../../src/controllers/roving-focus-controller.js';
import { VirtualWindowController } from '../../src/controllers/virtual-window-controller.js';
import { isPublicKey, versionAtLeast } from '../../src/monitor/names.js';
import { formatCount, formatNumber, formatTime } from '../../src/monitor/format.js';
import type { PollSnapshot, WatchOptions } from '../../src/monitor/poller.js';
import { absentNotice } from '../../src/parts/absent.js';
import { pageRange, pager } from '../../src/parts/pager.js';
import { renderRows, renderTable, renderWindow } from '../../src/parts/table.js';
import type { Connz, MonitorReply, ServerRef } from '../../client/monitor-types.js';
import { applicableColumns, COLUMNS, connzCell, CONNZ_DEFAULT_COLUMNS, type ConnzCell, type ConnzColumn } from './connz-columns.js';
import {
  connzView,
  ConnzTraffic,
  detailConnection,
  detailParams,
  effectiveSort,
  lastResult,
  nameMatches,
  offsetPastEnd,
  pageParams,
  pageSize,
  paging,
  pickReply,
  scanning,
  sortAllowed,
  sortKeyInfo,
  sortKeysFor,
  type ConnzConnectionState,
  type ConnzPaging,
  type ConnzRow,
  type ConnzView,
} from './connz-query.js';
import { ConnzActionsController } from './connz-actions-controller.js';
import { ConnzClusterController } from './connz-cluster-controller.js';
import { pastEnd, type ClusterView, type ConnzQuery } from './connz-query.js';
import { connzStyles } from './nunect-connz.styles.js';

export { CONNZ_COLUMNS, CONNZ_DEFAULT_COLUMNS, type ConnzColumn } from './connz-columns.js';
export { CONNZ_SORT_KEYS, NAME_SCAN_LIMIT, type ConnzConnectionState, type ConnzSortKey } from './connz-query.js';

/**
 * The default of `virtualRows`: a refresh of 1,000 whole rows repainted the table every second
 * (50 % of the main thread busy); 100 rows in the DOM cost little and keep find-in-page.
 */
const VIRTUAL_FROM = 100;

/** Subscriptions listed in a detail row; a connection may have many thousands. */
const MAX_DETAIL_SUBS = 500;

interface Expanded {
  key: string;
  cid: number;
  serverId: string;
  serverName: string;
  closed: boolean;
}

/** What a render shows, derived from the replies and the properties in `willUpdate`. */
interface Shown {
  view: ConnzView;
  /** The whole cluster's list (undefined: one server's). */
  cluster?: ClusterView;
  paging: ConnzPaging;
  /** Old rows shown while a new page loads. */
  busy: boolean;
  multi: boolean;
  /** Closed connections are listed: the stop and reason columns apply. */
  closedCols: boolean;
  applicable: readonly ConnzColumn[];
  columns: readonly ConnzColumn[];
  /** The rows' cells' context (one per row). */
  cells: readonly ConnzCell[];
}

/**
 * The connections of a server: who is connected (name, account, user, address, client library),
 * for how long, how busy (messages and bytes in and out, with rates per second), sorted and paged
 * by the server itself, so it stays fast with tens of thousands of connections. A row opens to show
 * the connection's subscriptions (and, for a closed connection, why it closed).
 *
 * Needs a user of the system account for every connection; other users see their own account's.
 * In a cluster it shows one server at a time (a selector appears when several servers answer) and
 * asks that server alone (`$SYS.REQ.SERVER.<id>.CONNZ`), so paging and sorting are exact on it and
 * no time is spent waiting for the other servers; a slow PING (every 30 s) notices servers joining.
 * A user who may not ask one server alone (outside the system account) is served by PING instead.
 *
 * "In" and "out" are seen from the server: messages in were published by the client, messages out
 * were delivered to it.
 *
 * Name filter: the server cannot filter by client name, so with a name filter the widget fetches the
 * first 1,024 connections (in the current sort order, state and account) and filters and pages them
 * in the browser; it says how many it searched.
 *
 * Subscriptions are asked for only while a row is open, and only for that connection (CONNZ `cid`
 * with `subscriptions_detail`), which is far cheaper than subscriptions for every row of every page.
 *
 * Columns: the "Columns" button at the end of the range line opens a list of the columns to show
 * (the name column is always shown, and stays in view while the table scrolls sideways inside its
 * card). The choice is remembered per page in `localStorage` (see `storageKey`); choosing a sort in
 * "Sort by" shows that column.
 *
 * @tag nunect-connz
 * @summary Connections table: server-side sort and paging, filters, rates, subscriptions.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart toolbar - The filters and the sort control.
 * @csspart summary - The range line with the pager.
 * @csspart pager - The previous/next buttons and the range.
 * @csspart table - The table of connections.
 * @csspart row - One connection's row.
 * @csspart empty - The row that says there are no connections (or none matches the name filter).
 * @csspart detail - The detail row of an open connection.
 * @csspart subscriptions - The subscription list in a detail row.
 * @csspart columns-button - The "Columns" button that opens the column chooser.
 * @csspart columns-menu - The column chooser (a fieldset of checkboxes).
 *
 * @cssprop --nunect-connz-max-height - Maximum height of the table before it scrolls (default none).
 * @cssprop --nunect-connz-filter-width - Width of the account and name inputs.
 * @cssprop --nunect-connz-header-background - Background of the sticky header row.
 * @cssprop --nunect-connz-sorted-color - Colour of the sorted column's header.
 * @cssprop --nunect-connz-row-hover-background - Background of a hovered row.
 * @cssprop --nunect-connz-expanded-background - Background of an open row and its detail.
 * @cssprop --nunect-connz-max-height - How tall a page of 100 rows or more gets before it scrolls inside the card (only the rows in view are rendered); default 70vh.
 * @cssprop --nunect-connz-closed-color - Colour of the stop time and reason of closed connections.
 * @cssprop --nunect-connz-name-width - Maximum width of the name, account and user columns (the sticky name column also takes at most 40% of the table's visible width).
 * @cssprop --nunect-connz-subs-max-height - Maximum height of a subscription list before it scrolls.
 * @cssprop --nunect-connz-busy-opacity - Opacity of the old rows while a new page loads.
 * @cssprop --nunect-connz-name-background - Background of the sticky name column (opaque; rows' hover and open backgrounds are laid over it).
 * @cssprop --nunect-connz-columns-menu-background - Background of the column chooser.
 * @cssprop --nunect-connz-scroll-shadow - Colour of the shadow at the table's right edge while more columns lie beyond it.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 * @fires nunect-connection-select - A detail row opened; `detail` is `{cid, server, serverId}` (server name and id).
 */
export class NunectConnz extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...connzStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  /** Connections per page (CONNZ `limit`). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /**
   * From this many rows a page renders only the rows in view (and scrolls inside the card, at most
   * `--nunect-connz-max-height` tall); smaller pages are whole in the DOM, so find-in-page works.
   */
  @property({ type: Number, attribute: 'virtual-rows' }) virtualRows = VIRTUAL_FROM;

  /**
   * Server-side sort key (CONNZ `sort`): `cid start subs pending msgs_to msgs_from bytes_to bytes_from
   * last idle uptime`, `rtt` (nats-server ≥ 2.10), `stop` and `reason` (closed connections only). The
   * server picks the direction (see `CONNZ_SORT_KEYS`). A key the server would refuse falls back to `cid`.
   */
  @property() sort = 'cid';

  /**
   * Which connections: `open`, `closed` (recently closed, kept by the server) or `all` (CONNZ `state`).
   * (Named `connectionState` because `state` is the widget state every nunect widget has.)
   */
  @property({ attribute: 'connection-state' }) connectionState: ConnzConnectionState = 'open';

  /** Only connections of this account (CONNZ `acc`); empty for all. */
  @property() account = '';

  /** Only connections whose client name contains this text (case-insensitive; filtered in the browser over the first 1,024). */
  @property({ attribute: 'name-filter' }) nameFilter = '';

  /**
   * In a cluster, the server to show (its name). Empty: the server this connection is attached to,
   * else the first by name; a selector appears as soon as more than one server is known.
   */
  @property({ attribute: 'server-name' }) serverName = '';

  /**
   * The optional columns to show, by id (`name` is always shown): `cid server account user address
   * client uptime idle rtt subs pending msgs_in msgs_out msgs_rate_in msgs_rate_out bytes_in bytes_out
   * bytes_rate_in bytes_rate_out start stop reason` (`server` only in a cluster, `stop` and `reason`
   * only with closed connections). Attribute: ids separated by spaces or commas, or a JSON list.
   * Unset: the choice remembered under `storageKey`, else `CONNZ_DEFAULT_COLUMNS`. A set value wins
   * over the remembered choice; the column chooser sets it (and remembers it).
   */
  @property({ converter: columnsConverter(COLUMNS) }) columns?: string[];

  /**
   * The `localStorage` key the column choice is remembered under (only a JSON list of column ids is
   * stored). Empty: `nunect-connz-columns:<location.pathname>`, one choice per page.
   */
  @property({ attribute: 'storage-key' }) storageKey = '';

  /** First row of the page (server offset, or offset among the name matches). */
  @state() private offset = 0;
  @state() private expanded?: Expanded;

  /** Servers seen in replies, by name. */
  #servers = new Map<string, ServerRef>();
  /** Server ids whose own request failed (not allowed for this user, or gone): asked with PING instead. */
  #failed = new Set<string>();
  /** The server shown when `serverName` is empty: the connected one, else the first by name; kept once chosen. */
  #pinned?: string;
  /** The server the current page poll targets (undefined: PING). */
  #target?: string;
  /** A failed targeted poll that was given up for a PING: its error is not the widget's. */
  #abandoned?: PollSnapshot<Connz>;
  /** Rates per connection and the accounts seen. */
  readonly #traffic = new ConnzTraffic();
  #tracked?: unknown;
  /** The last good replies, also of an earlier query (kept on screen while a new page loads). */
  #previous?: MonitorReply<Connz>[];
  /** What the next render shows (`willUpdate`); undefined before the first data. */
  #shown?: Shown;

  readonly #page: PollController<Connz>;
  readonly #detail: PollController<Connz>;
  /** Every server's connections in one list (and the survey that finds the servers). */
  readonly #cluster: ConnzClusterController;
  /** Selecting connections and acting on them (KICK, LDM). */
  readonly #actions: ConnzActionsController;

  readonly #chooser = new ColumnChooserController<ConnzColumn>(this, {
    columns: COLUMNS,
    defaults: CONNZ_DEFAULT_COLUMNS,
    value: () => this.columns,
    set: (ids) => {
      this.columns = ids;
    },
    storageKey: () => this.storageKey || pageStorageKey('connz'),
  });

  /** The rows in view of a long page (VIRTUAL_FROM rows or more). */
  readonly #virtual = new VirtualWindowController(this, { overscan: 12, rowHeight: 29, viewportHeight: 600 });

  /** Rows: one tab stop, arrows move, Enter/Space/click and ArrowRight/ArrowLeft open and close. */
  // eslint-disable-next-line no-unused-private-class-members -- a controller: it works through the host
  readonly #rows = new RovingFocusController(this, {
    items: 'tr.conn',
    activate: (row) => this.#toggle(row),
    expand: (row) => this.#toggle(row),
  });

  constructor() {
    super();
    // Forget what belongs to the old connection before the polls restart on the new one.
    this.hubs.onChange(() => this.#forget());
    this.#page = new PollController<Connz>(
      this,
      this.hubs,
      () => this.#pageOptions(),
      (s) => this.#onPage(s),
    );
    this.#detail = new PollController<Connz>(this, this.hubs, () => this.#detailOptions());
    this.#cluster = new ConnzClusterController(this, this.hubs, {
      query: () => this.#query(),
      interval: () => this.interval,
      mode: () => (this.serverName ? 'discover' : 'all'),
      onData: (s) => this.#onCluster(s),
    });
    this.#actions = new ConnzActionsController(this, this.hubs, () => this.now());
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Rows are as tall as the font makes them: measure one of the window (no layout without a window).
    if (this.#shown && this.#shown.cells.length >= this.virtualRows)
      this.#virtual.measureRow(this.renderRoot.querySelector('tr.conn:not([aria-expanded="true"])'));
  }

  #forget(): void {
    this.#servers.clear();
    this.#failed.clear();
    this.#pinned = undefined;
    this.#abandoned = undefined;
    this.#traffic.clear();
    this.#tracked = undefined;
    this.#previous = undefined;
    this.expanded = undefined;
  }

  /** Retry: also asks every server again which servers there are. */
  override retry(): void {
    this.#cluster.forget();
    this.#servers.clear();
    this.#failed.clear();
    this.#pinned = undefined;
    this.requestUpdate();
    super.retry();
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  /** The sort key actually sent: the `sort` property unless the server or the state would refuse it. */
  get effectiveSort(): string {
    return effectiveSort(this.sort, this.connectionState, this.#rttSupported());
  }

  /** Version of the server shown: from its reply envelope, else from the connection's INFO. */
  #version(): string | undefined {
    return this.#shownServer()?.ver ?? this.hubs.status.serverVersion;
  }

  #rttSupported(): boolean {
    if (this.#clusterMode()) return [...this.#cluster.servers.values()].every((s) => versionAtLeast(s.ver, 2, 10));
    return versionAtLeast(this.#version(), 2, 10);
  }

  /** No server chosen and several answer: one list of every server's connections. */
  #clusterMode(): boolean {
    return !this.serverName && this.#cluster.listing;
  }

  #query(): ConnzQuery {
    const { connectionState: state, offset, account, nameFilter } = this;
    return { state, sort: this.effectiveSort, offset, size: this.#size(), account, nameFilter };
  }

  #size(): number {
    return pageSize(this.pageSize);
  }

  /** The server this connection is attached to (from its INFO), if the client says. */
  #connected(): ServerRef | undefined {
    const info = this.hubs.hub.client?.info as { server_id?: string; server_name?: string; version?: string } | undefined;
    return info?.server_id && info.server_name ? { id: info.server_id, name: info.server_name, ver: info.version } : undefined;
  }

  #shownName(): string | undefined {
    return this.serverName || this.#pinned;
  }

  #shownServer(): ServerRef | undefined {
    const name = this.#shownName();
    if (!name) return undefined;
    const connected = this.#connected();
    return this.#servers.get(name) ?? (connected?.name === name ? connected : undefined);
  }

  /**
   * Ask the shown server alone (`$SYS.REQ.SERVER.<id>.CONNZ`): exact paging and sorting on it, one
   * server's work, and no wait for other servers' replies. A user outside the system account may
   * only PING (its own account's connections), so a server whose own request failed is asked by PING.
   */
  #targetId(): string | undefined {
    const id = this.#shownServer()?.id;
    return id && !this.#failed.has(id) ? id : undefined;
  }

  #pageOptions(): WatchOptions | undefined {
    // The whole cluster's list comes from the cluster controller's survey.
    if (this.#clusterMode()) return undefined;
    this.#target = this.#targetId();
    return { kind: 'CONNZ', interval: this.interval, serverId: this.#target, params: pageParams(this.#query()) };
  }

  #detailOptions(): WatchOptions | undefined {
    const e = this.expanded;
    if (!e) return undefined;
    return { kind: 'CONNZ', interval: this.interval, serverId: this.#failed.has(e.serverId) ? undefined : e.serverId, params: detailParams(e.cid, e.closed) };
  }

  #learn(replies: MonitorReply<Connz>[] | undefined): void {
    if (!replies) return;
    for (const r of replies) if (r.server?.name && r.server.id) this.#servers.set(r.server.name, r.server);
  }

  #onCluster(snapshot: PollSnapshot<Connz>): void {
    this.#learn(snapshot.replies);
    if (!this.#clusterMode()) return;
    const view = this.#cluster.view();
    if (view) this.#traffic.update(scanning(this.nameFilter) ? view.rows : view.rows);
  }

  #onPage(snapshot: PollSnapshot<Connz>): void {
    const code = snapshot.error?.code;
    const refused = code === 'NO_RESPONDERS' || code === 'TIMEOUT' || code === 'PERMISSION_DENIED';
    if (refused && !snapshot.loading && this.#target && !this.#failed.has(this.#target)) {
      // Not allowed to ask that server alone, or it is gone (a restarted server has a new id): PING.
      this.#failed.add(this.#target);
      this.#servers.clear();
      this.#abandoned = snapshot;
      return;
    }
    const replies = snapshot.replies;
    if (!replies || replies === this.#tracked) return;
    this.#tracked = replies;
    this.#previous = replies;
    this.#learn(replies);
    const view = this.#view(replies);
    // Rates for the rows that can be shown (one page, or the name matches).
    this.#traffic.update(scanning(this.nameFilter) ? nameMatches(view.reply, this.nameFilter) : view.rows, view.reply?.data?.now);
    const last = offsetPastEnd(view.reply?.data, this.offset, this.#size(), this.nameFilter);
    if (last !== undefined) this.offset = last;
  }

  // ---------------------------------------------------------------------------------------------
  // State and view

  /** The page poll's error, unless it belongs to a targeted poll given up for a PING. */
  #error() {
    const s = this.#page.snapshot;
    return s === this.#abandoned ? undefined : s.error;
  }

  protected override computeState(): WidgetState {
    if (this.#clusterMode()) return widgetState(this.hubs.status, !!(this.#cluster.snapshot.replies ?? this.#shown), this.#cluster.snapshot.error);
    return widgetState(this.hubs.status, !!(this.#page.snapshot.replies ?? this.#previous), this.#error());
  }

  /** The page of the shown server's reply (the same object while replies and query are the same). */
  readonly #pageOf = lastResult(
    (replies: MonitorReply<Connz>[] | undefined, shown: string | undefined, strict: boolean, offset: number, size: number, nameFilter: string) =>
      connzView(pickReply(replies, shown, strict), { offset, size, nameFilter }),
  );

  #view(replies: MonitorReply<Connz>[] | undefined): ConnzView {
    return this.#pageOf(replies, this.#shownName(), !!this.serverName, this.offset, this.#size(), this.nameFilter);
  }

  /** The columns that apply (the same array while `multi` and `closed` are the same). */
  readonly #applicable = lastResult(applicableColumns);

  /** The cells' context of the rows shown (worked out again only for other rows). */
  readonly #cellsOf = lastResult((rows: readonly ConnzRow[]) => {
    const operator = rows.some((r) => isPublicKey(r.c.authorized_user) || isPublicKey(r.c.account));
    const now = this.now();
    return rows.map((r) => connzCell(r, this.#traffic.rates(r.key), operator, now));
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('sort') ||
      changed.has('connectionState') ||
      changed.has('account') ||
      changed.has('nameFilter') ||
      changed.has('serverName') ||
      changed.has('pageSize')
    ) {
      this.offset = 0;
    }
    if ((changed.has('serverName') || changed.has('connectionState') || changed.has('account')) && this.expanded) this.expanded = undefined;
    if (!this.serverName && !this.#pinned) {
      this.#pinned = this.#connected()?.name ?? [...this.#servers.keys()].sort((a, b) => a.localeCompare(b))[0];
    }
    if (this.#clusterMode()) {
      this.#willShowCluster();
    } else {
      this.#willShowServer();
    }
    if (this.#shown) this.#actions.showing(this.#shown.view.rows);
    super.willUpdate(changed);
  }

  /** The columns shown, with a selection column after the name when connections can be acted on. */
  readonly #withSelect = lastResult((columns: readonly ConnzColumn[], select: boolean): readonly ConnzColumn[] =>
    select ? [columns[0]!, this.#selectColumn, ...columns.slice(1)] : columns,
  );

  readonly #selectColumn: ConnzColumn = { id: 'select', label: 'Select', cell: (x) => this.#actions.renderSelect(x.r) };

  #willShowCluster(): void {
    const view = this.#cluster.view();
    if (!view) {
      // Old rows stay, marked busy, until the cluster's first list is in.
      if (this.#shown) this.#shown = { ...this.#shown, busy: true };
      return;
    }
    const last = pastEnd(view.count, this.offset, this.#size());
    if (last !== undefined && !scanning(this.nameFilter)) this.offset = last;
    const closedCols = this.connectionState !== 'open';
    const applicable = this.#applicable(true, closedCols);
    const servers = [...this.#cluster.servers.values()];
    this.#shown = {
      view,
      cluster: view,
      paging: paging(view, this.#size()),
      busy: view.pending || !this.#cluster.snapshot.replies,
      multi: true,
      closedCols,
      applicable,
      columns: this.#withSelect(
        this.#chooser.visible(applicable),
        servers.some((s) => this.#actions.offered(s)),
      ),
      cells: this.#cellsOf(view.rows),
    };
  }

  #willShowServer(): void {
    const replies = this.#page.snapshot.replies;
    const shown = replies ?? this.#previous;
    if (shown) {
      const view = this.#view(shown);
      const multi = this.#servers.size > 1 || this.#cluster.servers.size > 1;
      const closedCols = this.connectionState !== 'open';
      const applicable = this.#applicable(multi, closedCols);
      this.#shown = {
        view,
        paging: paging(view, this.#size()),
        busy: !replies,
        multi,
        closedCols,
        applicable,
        columns: this.#withSelect(this.#chooser.visible(applicable), !!view.reply && this.#actions.offered(view.reply.server)),
        cells: this.#cellsOf(view.rows),
      };
    } else {
      this.#shown = undefined;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Events (stable handlers: rows and controls share them, nothing is rebuilt per row or poll)

  #onStateSelect = (e: Event) => {
    this.connectionState = (e.target as HTMLSelectElement).value as ConnzConnectionState;
  };

  #onSortSelect = (e: Event) => {
    this.sort = (e.target as HTMLSelectElement).value;
    // Sorting by a hidden column from the menu shows it (the header shows the order).
    const col = COLUMNS.find((c) => c.sortKey === this.sort);
    if (col) this.#chooser.show(col.id);
  };

  #onHeaderSort = (key: string) => {
    this.sort = key;
  };

  #canSort = (key: string) => sortAllowed(key, this.connectionState, this.#rttSupported());

  #onAccount = (e: Event) => {
    this.account = (e.target as HTMLInputElement).value.trim();
  };

  #onName = (e: Event) => {
    this.nameFilter = (e.target as HTMLInputElement).value;
  };

  #onServer = (e: Event) => {
    this.serverName = (e.target as HTMLSelectElement).value;
  };

  #onPrev = () => {
    this.offset = Math.max(0, this.offset - this.#size());
  };

  #onNext = () => {
    this.offset += this.#size();
  };

  #toggle(row: HTMLElement): void {
    const key = row.dataset.key!;
    if (this.expanded?.key === key) {
      this.expanded = undefined;
      return;
    }
    const cid = Number(row.dataset.cid);
    const serverId = row.dataset.server ?? '';
    const server = [...this.#servers.values()].find((s) => s.id === serverId);
    this.expanded = { key, cid, serverId, serverName: server?.name ?? serverId, closed: row.dataset.closed === 'true' };
    this.emit('nunect-connection-select', { cid, server: server?.name ?? serverId, serverId });
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  override render() {
    const error = this.#clusterMode() ? this.#cluster.snapshot.error : this.#error();
    return html`${this.renderStatus(error, 'connections')} ${this.#shown ? this.#renderData(this.#shown) : nothing} ${this.#actions.renderResults()}
    ${this.#actions.renderDialog()}`;
  }

  /** The servers whose rows are listed (what the actions bar speaks of). */
  #listedServers(shown: Shown): ServerRef[] {
    if (shown.cluster) return [...this.#cluster.servers.values()];
    return shown.view.reply ? [shown.view.reply.server] : [];
  }

  /** The cluster's notes: absent servers, servers that refused the query, further connections that could not be read. */
  #renderClusterNotes(view: ClusterView): TemplateResult {
    const errors = this.#cluster.errors();
    return html`${absentNotice(this.#cluster.absent, this.now(), 'Not in this list:')}
    ${errors.map((e) => html`<p class="note" role="alert">${e.name}: ${e.message}</p>`)}
    ${view.failed.map((f) => html`<p class="note" role="alert">${f.name}: some connections could not be read (${f.message}).</p>`)}`;
  }

  #renderData(shown: Shown): TemplateResult {
    const { view, columns, cells } = shown;
    const sort = this.effectiveSort;
    const detail = this.#detail.snapshot;
    const scan = scanning(this.nameFilter);
    const virtual = cells.length >= this.virtualRows;
    const window = virtual ? this.#virtual.window(cells.length) : undefined;
    return html`${this.#renderToolbar(shown.multi)} ${this.#actions.renderBar(this.#listedServers(shown))}
      ${shown.cluster ? this.#renderClusterNotes(shown.cluster) : nothing}
      <div class="summary" part="summary">
        ${this.#renderPager(shown.paging, scan)} ${shown.cluster ? this.#renderCounts(shown.cluster) : this.#renderServer(view)}
        <span class="summary-end">${this.#chooser.renderButton()}</span>
      </div>
      ${this.#chooser.renderMenu(shown.applicable)}
      ${
        view.scanned
          ? html`<p class="note muted">
              The name filter applies to the first ${formatNumber(view.scanned.n)} of ${formatNumber(view.scanned.of)} connections in this order (the server
              cannot filter by name).
            </p>`
          : nothing
      }
      ${view.reply?.error ? html`<p class="note" role="alert">${view.reply.server.name}: ${view.reply.error.description}</p>` : nothing}
      ${!view.reply && this.serverName ? html`<p class="note" role="status">No reply from server ${this.serverName}.</p>` : nothing}
      ${renderTable({
        columns,
        rows: cells,
        label: 'Connections',
        role: 'treegrid',
        region: false,
        busy: shown.busy,
        stickyFirst: true,
        sort: { key: sort, direction: sortKeyInfo(sort)!.direction },
        canSort: this.#canSort,
        onSort: this.#onHeaderSort,
        empty: scan ? 'No connection name matches the filter.' : 'No connections.',
        virtual,
        scrollerRef: this.#virtual.scroller,
        // The rows render again only when they, the columns, the open row or the window change (not on a poll's "loading").
        body: guard([cells, columns, this.expanded?.key, detail, [...this.#actions.selected.keys()].join(' '), window?.from, window?.to], () => {
          const options = {
            key: (x: ConnzCell) => x.r.key,
            stickyFirst: true,
            row: (x: ConnzCell, tds: TemplateResult[]) => this.#renderRow(x, tds, columns.length),
          };
          return window ? renderWindow(columns, cells, window, options) : renderRows(columns, cells, options);
        }),
      })}`;
  }

  #renderPager(p: ConnzPaging, scan: boolean): TemplateResult {
    return pager({
      label: 'Connection pages',
      ...p,
      status: p.none ? `0 ${scan ? 'matching connections' : 'connections'}` : `${pageRange(p.first, p.shown, p.total)}${scan ? ' matching' : ''}`,
      onPrevious: this.#onPrev,
      onNext: this.#onNext,
    });
  }

  #renderServer(view: ConnzView): TemplateResult | typeof nothing {
    const server = view.reply?.server;
    if (!server) return nothing;
    return html`<span class="where"
      >on <strong>${server.name}</strong>${server.ver ? html` <span class="muted">(nats-server ${server.ver})</span>` : nothing}</span
    >`;
  }

  /** "412 on n1 · 301 on n2 · 287 on n3" (with a name filter: the matches of each). */
  #renderCounts(view: ClusterView): TemplateResult {
    return html`<span class="where counts"
      >${view.servers.map((s, i) => html`${i ? ' · ' : ''}${formatNumber(s.matches ?? s.total)} on <strong>${s.name}</strong>`)}</span
    >`;
  }

  /** The servers the selector offers: those answering (never an absent one), by name. */
  #offeredServers(): string[] {
    const absent = new Set(this.#cluster.absent.map((a) => a.name));
    const names = new Set([...this.#servers.keys(), ...this.#cluster.servers.keys()]);
    return [...names].filter((n) => !absent.has(n)).sort((a, b) => a.localeCompare(b));
  }

  #renderToolbar(multi: boolean): TemplateResult {
    const effective = this.effectiveSort;
    const sortInfo = sortKeyInfo(effective)!;
    const servers = this.#offeredServers();
    // A chosen server that stopped answering stays selected, marked, but is not offered.
    const chosenAbsent = this.serverName && !servers.includes(this.serverName);
    const value = this.serverName;
    return html`<div class="toolbar" part="toolbar">
      ${
        multi
          ? html`<label
              >Server
              <select @change=${this.#onServer} .value=${value}>
                <option value="" ?selected=${value === ''}>All servers</option>
                ${servers.map((s) => html`<option value=${s} ?selected=${s === value}>${s}</option>`)}
                ${chosenAbsent ? html`<option value=${value} selected disabled>${value} (no reply)</option>` : nothing}
              </select></label
            >`
          : nothing
      }
      <label
        >Show
        <select @change=${this.#onStateSelect} .value=${this.connectionState}>
          <option value="open" ?selected=${this.connectionState === 'open'}>Open connections</option>
          <option value="closed" ?selected=${this.connectionState === 'closed'}>Closed connections</option>
          <option value="all" ?selected=${this.connectionState === 'all'}>Open and closed</option>
        </select></label
      >
      <label
        >Sort by
        <select @change=${this.#onSortSelect} .value=${effective} aria-describedby="sort-order">
          ${sortKeysFor(this.connectionState, this.#rttSupported()).map((s) => html`<option value=${s.key} ?selected=${s.key === effective}>${s.label}</option>`)}
        </select></label
      >
      <span id="sort-order" class="order muted">${sortInfo.direction === 'ascending' ? '↑' : '↓'} ${sortInfo.direction}, ${sortInfo.order} (server order)</span>
      <label
        >Account
        <input list="connz-accounts" .value=${this.account} @change=${this.#onAccount} placeholder="all" autocomplete="off" spellcheck="false" />
      </label>
      <datalist id="connz-accounts">${[...this.#traffic.accounts].sort().map((a) => html`<option value=${a}></option>`)}</datalist>
      <label
        >Client name
        <input type="search" .value=${this.nameFilter} @input=${this.#onName} placeholder="any" autocomplete="off" spellcheck="false" />
      </label>
    </div>`;
  }

  #renderRow(x: ConnzCell, cells: TemplateResult[], span: number): TemplateResult {
    const { r, c } = x;
    const open = this.expanded?.key === r.key;
    return html`<tr
        class="conn"
        part="row"
        aria-rowindex=${this.#shown && this.#shown.cells.length >= this.virtualRows ? this.#shown.cells.indexOf(x) + 2 : nothing}
        aria-expanded=${open ? 'true' : 'false'}
        aria-level="1"
        data-key=${r.key}
        data-cid=${c.cid}
        data-server=${r.server.id}
        data-closed=${c.stop ? 'true' : 'false'}
      >
        ${cells}
      </tr>
      ${open ? this.#renderDetail(r, span) : nothing}`;
  }

  #renderDetail(r: ConnzRow, span: number): TemplateResult {
    const { replies, error, loading } = this.#detail.snapshot;
    const fresh = detailConnection(replies, r.server.id, r.c.cid);
    const c = fresh ?? r.c;
    const detail = c.subscriptions_list_detail;
    const list = c.subscriptions_list;
    const subs: TemplateResult | string = detail
      ? html`${detail
          .slice(0, MAX_DETAIL_SUBS)
          .map(
            (s) =>
              html`<li>
                <span class="mono">${s.subject}</span>${s.qgroup ? html` <span class="muted">queue ${s.qgroup}</span>` : nothing}${
                  s.msgs !== undefined ? html` <span class="muted">· ${formatCount(s.msgs)} msgs</span>` : nothing
                }
              </li>`,
          )}`
      : list
        ? html`${list.slice(0, MAX_DETAIL_SUBS).map((s) => html`<li class="mono">${s}</li>`)}`
        : '';
    const total = detail?.length ?? list?.length ?? 0;
    let subsBlock: TemplateResult;
    if (detail || list) {
      subsBlock = total
        ? html`<ul class="subs" part="subscriptions" tabindex="0" aria-label=${`Subscriptions of connection ${c.cid}`}>
              ${subs}
            </ul>
            ${total > MAX_DETAIL_SUBS ? html`<p class="note muted">Showing ${formatNumber(MAX_DETAIL_SUBS)} of ${formatNumber(total)} subscriptions.</p>` : nothing}`
        : html`<p class="note muted">No subscriptions.</p>`;
    } else if (error) {
      subsBlock = html`<p class="note" role="alert">Subscriptions: ${error.message}</p>`;
    } else if (replies && !fresh) {
      subsBlock = html`<p class="note muted">The server no longer lists this connection.</p>`;
    } else {
      subsBlock = html`<p class="note muted" role="status">${loading || !replies ? 'Loading subscriptions…' : 'No subscriptions.'}</p>`;
    }
    const now = this.now();
    return html`<tr class="detail" part="detail" aria-level="2">
      <td colspan=${span}>
        <dl class="detail-grid">
          <dt>Connection</dt>
          <dd>${c.cid} on ${r.server.name}${c.kind ? ` · ${c.kind}` : ''}${c.type ? ` (${c.type})` : ''}</dd>
          ${
            c.name_tag
              ? html`<dt>Name tag</dt>
                  <dd>${c.name_tag}</dd>`
              : nothing
          }
          ${
            c.tls_version
              ? html`<dt>TLS</dt>
                  <dd>${c.tls_version}${c.tls_cipher_suite ? ` · ${String(c.tls_cipher_suite)}` : ''}</dd>`
              : nothing
          }
          <dt>Last activity</dt>
          <dd>${formatTime(c.last_activity, now)}</dd>
          ${
            c.stop
              ? html`<dt>Closed</dt>
                  <dd>${formatTime(c.stop, now)}</dd>`
              : nothing
          }
          ${
            c.reason
              ? html`<dt>Reason</dt>
                  <dd>${c.reason}</dd>`
              : nothing
          }
          <dt>Subscriptions</dt>
          <dd>${formatCount(c.subscriptions)}</dd>
        </dl>
        ${subsBlock}
      </td>
    </tr>`;
  }
}
