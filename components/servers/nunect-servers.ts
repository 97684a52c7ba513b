import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { Task, TaskStatus } from '@lit/task';
import { recordAudit, reloadServer, userRights, type AdminResult, type NunectClient, type UserRights } from '../../client/index.js';
import type { Jsz, Varz } from '../../client/monitor-types.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatNumber, formatPercent, formatRate, formatTime, parseGoDuration } from '../../src/monitor/format.js';
import type { PollSnapshot } from '../../src/monitor/poller.js';
import { absentRow, serverSlots } from '../../src/parts/absent.js';
import { renderCells, renderTable, type TableColumn } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { JSZ_PARAMS } from '../jsz/replication.js';
import { ServerTrends } from '../varz/varz-trends.js';
import { clusters, reloadBlocked, serverRows, totals, type Healthz, type ServerRow, type ServerStats } from './servers-model.js';
import { serversStyles } from './nunect-servers.styles.js';

/** A server whose configuration is to be reloaded, as it was when chosen. */
interface ReloadTarget {
  serverId: string;
  name: string;
}

/** One reload attempt and how it ended. */
interface ReloadAttempt {
  target: ReloadTarget;
  result: AdminResult;
  /** When it ended (the widget's clock). */
  at: number;
  /** Whether the audit record was sent. */
  audited: boolean;
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** How a reload ended, in words (the server's own message follows, verbatim). */
function outcomeText(r: AdminResult): string {
  switch (r.outcome) {
    case 'ok':
      return 'configuration reloaded';
    case 'no-reply':
      return 'not reloaded: no answer in time';
    default:
      return `not reloaded (${r.outcome.replace(/-/g, ' ')})`;
  }
}

/**
 * The cluster at a glance: the cluster names, how many servers answer of those expected ("3 of 4
 * answering"), the totals (connections, subscriptions, messages and bytes per second, slow
 * consumers, memory) and one row per server — version (another version than most servers run is
 * marked), uptime, connections, subscriptions, rates in and out, memory, CPU, routes, gateways,
 * leaf nodes, JetStream role (meta leader or follower) and health. A server that does not answer,
 * stopped cleanly or is in lame-duck mode keeps its own marked row that says since when.
 *
 * Polls VARZ, JSZ (with the parameters of `<nunect-jsz>`, so a page asks once), HEALTHZ and STATSZ
 * (the cluster size the servers report, gateways). Needs a user of the system account.
 *
 * Reload configuration (nats-server 2.10+): a button per server, shown when the user's rights
 * (`$SYS.REQ.USER.INFO`) include `$SYS.REQ.SERVER.<id>.RELOAD` (otherwise the row says why); a
 * confirmation dialog first; the server's answer shown as it is (a configuration error with its
 * line numbers); every attempt recorded on `ops.audit.reload`.
 *
 * @tag nunect-servers
 * @summary The cluster at a glance: every server, totals, and configuration reloads.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart summary - The clusters and the totals above the table.
 * @csspart tile - One total.
 * @csspart table - The table of servers.
 * @csspart empty - The row that says no server answered.
 * @csspart reload - A "Reload configuration" button.
 * @csspart dialog - The confirmation dialog of a reload.
 * @csspart results - The outcomes of the reloads of this page.
 *
 * @cssprop --nunect-servers-gap - Space between the summary, the table and the results.
 * @cssprop --nunect-servers-tile-width - Minimum width of a total.
 * @cssprop --nunect-servers-tile-background - Background of a total.
 * @cssprop --nunect-servers-header-background - Background of the table's header row.
 * @cssprop --nunect-servers-name-background - Background of the sticky server name column.
 * @cssprop --nunect-servers-scroll-shadow - Colour of the shadow at the table's right edge while more columns lie beyond it.
 * @cssprop --nunect-servers-skew-color - Colour of a version that differs from the one most servers run (the words say it too).
 * @cssprop --nunect-servers-unhealthy-color - Colour of a health status other than ok, and of a failed reload.
 * @cssprop --nunect-servers-healthy-color - Colour of a health status "ok", and of a reload that worked.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectServers extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...serversStyles];

  /** Milliseconds between polls (the shortest interval of the widgets on a connection wins). */
  @property({ type: Number }) interval = 5_000;

  /** The reload waiting for confirmation (the dialog is open). */
  @state() private confirming?: ReloadTarget;
  /** Servers (by id) with a reload under way. */
  @state() private reloading: ReadonlySet<string> = new Set();
  /** The reloads of this page, the latest first. */
  @state() private attempts: readonly ReloadAttempt[] = [];

  @query('dialog') private dialog?: HTMLDialogElement;

  #trends = new ServerTrends();
  /** The button that opened the dialog (the focus goes back to it). */
  #opener?: HTMLElement;
  /** The servers of the last render, by id (what a button's click acts on). */
  #targets = new Map<string, ReloadTarget>();

  readonly #varz = new PollController<Varz>(
    this,
    this.hubs,
    () => ({ kind: 'VARZ', interval: this.interval }),
    (snapshot) => {
      if (snapshot.replies && snapshot.at) this.#trends.track(snapshot.replies);
    },
  );
  readonly #jsz = new PollController<Jsz>(this, this.hubs, () => ({ kind: 'JSZ', interval: this.interval, params: JSZ_PARAMS }));
  readonly #healthz = new PollController<Healthz>(this, this.hubs, () => ({ kind: 'HEALTHZ', interval: this.interval }));
  readonly #statsz = new PollController<ServerStats>(this, this.hubs, () => ({ kind: 'STATSZ', interval: this.interval }));

  /** What this user may do, asked once per connection (and again after a reconnect). */
  readonly #rights = new Task<[NunectClient | undefined, boolean], UserRights | undefined>(this, {
    args: () => [this.hubs.hub.client, this.hubs.status.state === 'connected'],
    task: async ([client, connected]) => (client && connected ? userRights(client) : undefined),
  });

  constructor() {
    super();
    this.hubs.onChange(() => {
      this.#trends.clear();
      this.attempts = [];
    });
  }

  get #snapshots(): PollSnapshot<unknown>[] {
    return [this.#varz.snapshot, this.#jsz.snapshot, this.#healthz.snapshot, this.#statsz.snapshot];
  }

  protected override computeState(): WidgetState {
    // Ready with the first VARZ replies (the rows); the JSZ, HEALTHZ and STATSZ columns say
    // "loading" until theirs are in, so the servers show without waiting for the slowest kind.
    return widgetState(this.hubs.status, !!this.#varz.snapshot.replies, this.#snapshots.find((s) => s.error)?.error);
  }

  override render() {
    const error = this.#snapshots.find((s) => s.error)?.error;
    const showing = this.state === 'ready' || this.state === 'stale';
    return html`${this.renderStatus(error, 'cluster overview')} ${showing ? this.#renderCluster() : nothing} ${this.#renderResults()} ${this.#renderDialog()}`;
  }

  #renderCluster() {
    const { replies = [], absent = [] } = this.#varz.snapshot;
    const rows = serverRows(
      replies,
      { jsz: this.#jsz.snapshot.replies, healthz: this.#healthz.snapshot.replies, statsz: this.#statsz.snapshot.replies },
      (id) => this.#trends.get(id)?.current,
    );
    const byName = new Map(rows.map((r) => [r.name, r]));
    this.#targets = new Map(rows.map((r) => [r.server.id, { serverId: r.server.id, name: r.name }]));
    const now = this.now();
    const columns = this.#columns();
    const body = repeat(
      serverSlots(replies, absent),
      (s) => s.name,
      (s) => {
        const row = s.reply ? byName.get(s.name) : undefined;
        return row
          ? html`<tr class=${row.skewed ? 'skewed' : nothing}>
              ${renderCells(columns, row, { stickyFirst: true })}
            </tr>`
          : absentRow(s.absent!, now, columns.length, true);
      },
    );
    return html`${this.#renderSummary(rows)} ${renderTable({ columns, rows, label: 'Servers', stickyFirst: true, body, empty: 'No server answered.' })}`;
  }

  #renderSummary(rows: ServerRow[]) {
    const absent = this.#varz.snapshot.absent ?? [];
    const roster = this.hubs.hub.monitor.roster;
    const known = new Map(roster.servers.map((s) => [s.name, s]));
    const stopped = absent.filter((a) => a.presence === 'shutdown').length;
    const running = rows.length + absent.length - stopped;
    const expected = Math.max(running, roster.expected());
    const unnamed = expected - running;
    const t = totals(rows);
    const groups = clusters([...rows.map((r) => r.cluster), ...absent.map((a) => known.get(a.name)?.cluster || undefined)]);
    const versions = [...new Set(rows.map((r) => r.varz.version))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const answering = [`answering`, stopped ? `${formatNumber(stopped)} stopped` : '', unnamed > 0 ? `${formatNumber(unnamed)} not known by name` : '']
      .filter(Boolean)
      .join(' · ');
    return html`<div class="summary" part="summary">
      <p class="clusters">
        ${groups.length === 1 ? 'Cluster' : 'Clusters'}
        ${groups.map(
          (g, i) => html`${i ? ', ' : ''}<strong>${g.name ?? 'not clustered'}</strong> <span class="muted">(${plural(g.servers, 'server', 'servers')})</span>`,
        )}
      </p>
      <dl>
        ${tile('Servers', `${formatNumber(rows.length)} of ${formatNumber(expected)}`, html`<span class="sub">${answering}</span>`, { warn: rows.length < expected })}
        ${tile('Connections', formatCount(t.connections))} ${tile('Subscriptions', formatCount(t.subscriptions))}
        ${tile('Messages in', formatRate(t.rates.in_msgs))} ${tile('Messages out', formatRate(t.rates.out_msgs))}
        ${tile('Bytes in', formatRate(t.rates.in_bytes, true))} ${tile('Bytes out', formatRate(t.rates.out_bytes, true))}
        ${tile('Slow consumers', formatCount(t.slowConsumers), undefined, { warn: !!t.slowConsumers })} ${tile('Memory', formatBytes(t.memory))}
        ${tile(
          versions.length > 1 ? 'Versions (differ)' : 'Version',
          versions.join(' · ') || '–',
          versions.length > 1 ? html`<span class="sub">servers on other versions are marked</span>` : undefined,
          { warn: versions.length > 1 },
        )}
      </dl>
    </div>`;
  }

  /** A cell of a kind whose first reply is not in yet. */
  #pending(snapshot: PollSnapshot<unknown>) {
    return !snapshot.replies && !snapshot.error ? html`<span class="muted" aria-label="loading">…</span>` : undefined;
  }

  #columns(): TableColumn<ServerRow>[] {
    const figure = (id: string, label: string, text: (r: ServerRow) => string): TableColumn<ServerRow> => ({ id, label, numeric: true, cell: text });
    return [
      {
        id: 'server',
        label: 'Server',
        rowHeader: true,
        cell: (r) => html`${r.name} ${r.cluster && r.cluster !== r.name ? html`<span class="sub muted">${r.cluster}</span>` : nothing}`,
      },
      {
        id: 'version',
        label: 'Version',
        cell: (r) => (r.skewed ? html`<span class="skew">${r.varz.version} <span class="skew-note">(differs)</span></span>` : r.varz.version),
      },
      figure('uptime', 'Uptime', (r) => formatDuration(parseGoDuration(r.varz.uptime))),
      figure('connections', 'Connections', (r) => formatCount(r.varz.connections)),
      figure('subscriptions', 'Subscriptions', (r) => formatCount(r.varz.subscriptions)),
      figure('in_msgs', 'Msgs in', (r) => formatRate(r.rates.in_msgs)),
      figure('out_msgs', 'Msgs out', (r) => formatRate(r.rates.out_msgs)),
      figure('in_bytes', 'Bytes in', (r) => formatRate(r.rates.in_bytes, true)),
      figure('out_bytes', 'Bytes out', (r) => formatRate(r.rates.out_bytes, true)),
      figure('mem', 'Memory', (r) => formatBytes(r.varz.mem)),
      figure('cpu', 'CPU', (r) => formatPercent(r.varz.cpu)),
      {
        ...figure('routes', 'Routes', (r) => formatCount(r.varz.routes)),
        cellTitle: (r) =>
          r.varz.remotes !== undefined ? `${formatNumber(r.varz.routes)} route connections to ${formatNumber(r.varz.remotes)} servers` : undefined,
      },
      {
        ...figure('gateways', 'Gateways', () => ''),
        cell: (r) => this.#pending(this.#statsz.snapshot) ?? (r.gateways === undefined ? '–' : formatCount(r.gateways)),
      },
      figure('leafnodes', 'Leaf nodes', (r) => formatCount(r.varz.leafnodes)),
      {
        id: 'jetstream',
        label: 'JetStream',
        cell: (r) => this.#pending(this.#jsz.snapshot) ?? (r.roleWarn ? html`<span class="unhealthy">${r.role}</span>` : r.role),
      },
      {
        id: 'health',
        label: 'Health',
        cellClass: 'wrap',
        cell: (r) =>
          this.#pending(this.#healthz.snapshot) ?? (!r.health ? '–' : html`<span class=${r.health.ok ? 'healthy' : 'unhealthy'}>${r.health.text}</span>`),
      },
      { id: 'reload', label: 'Configuration', cellClass: 'wrap', cell: (r) => this.#renderReload(r) },
    ];
  }

  #renderReload(r: ServerRow) {
    const status = this.#rights.status;
    const asking = status === TaskStatus.PENDING || (status === TaskStatus.INITIAL && this.hubs.status.state === 'connected');
    const blocked = reloadBlocked({ id: r.server.id, name: r.name, version: r.varz.version }, this.#rights.value, asking);
    if (blocked) return html`<span class="why">${blocked}</span>`;
    const busy = this.reloading.has(r.server.id);
    return html`<button
      type="button"
      part="reload"
      data-server=${r.server.id}
      aria-label=${`Reload configuration of ${r.name}`}
      ?disabled=${busy}
      @click=${this.#onReloadClick}
    >
      ${busy ? 'Reloading…' : 'Reload configuration'}
    </button>`;
  }

  #renderResults() {
    const now = this.now();
    // A live region that is always there, so each new outcome is announced.
    return html`<div class="results" part="results" role="status">
      ${
        this.attempts.length
          ? html`<h2>Configuration reloads</h2>
              <ul>
                ${this.attempts.map(
                  (a) =>
                    html`<li class=${a.result.outcome === 'ok' ? 'ok' : 'failed'}>
                      <strong>${a.target.name}</strong> · <span class="outcome">${outcomeText(a.result)}</span> ·
                      <span class="muted">${formatTime(a.at, now)}</span
                      >${a.audited ? nothing : html` · <span class="unhealthy">the audit record could not be sent</span>`}
                      ${a.result.message ? html`<pre class="reply">${a.result.message}</pre>` : nothing}
                    </li>`,
                )}
              </ul>`
          : nothing
      }
    </div>`;
  }

  #renderDialog() {
    const t = this.confirming;
    const who = this.#rights.value?.user;
    return html`<dialog part="dialog" aria-labelledby="reload-title" aria-describedby="reload-what" @close=${this.#onDialogClose}>
      <h2 id="reload-title">Reload the configuration of ${t?.name ?? 'the server'}?</h2>
      <p id="reload-what">
        ${t?.name ?? 'The server'} reads its configuration file again and applies what can change while it runs (users, accounts, permissions, TLS, limits,
        logging). If the file has an error, or changes something that needs a restart, the server says so and keeps running as it is.
      </p>
      <p class="muted">The attempt is recorded in the audit trail (ops.audit.reload)${who ? ` as ${who}` : ''}.</p>
      <div class="dialog-actions">
        <button type="button" class="cancel" @click=${this.#onCancel}>Cancel</button>
        <button type="button" class="confirm" @click=${this.#onConfirm}>Reload configuration</button>
      </div>
    </dialog>`;
  }

  #onReloadClick = async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    const target = this.#targets.get(button.dataset.server ?? '');
    if (!target) return;
    this.#opener = button;
    this.confirming = target;
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    // The safe choice has the focus; Escape cancels too.
    this.dialog?.querySelector<HTMLButtonElement>('button.cancel')?.focus();
  };

  #onCancel = () => {
    this.dialog?.close();
  };

  #onConfirm = () => {
    const target = this.confirming;
    this.dialog?.close();
    if (target) void this.#reload(target);
  };

  #onDialogClose = () => {
    this.confirming = undefined;
    // Back to the button that opened it (it is still there: the rows are keyed by server).
    const opener = this.#opener;
    this.#opener = undefined;
    if (opener?.isConnected) opener.focus();
  };

  async #reload(target: ReloadTarget): Promise<void> {
    const client = this.hubs.hub.client;
    if (!client) return;
    const who = this.#rights.value?.user;
    this.reloading = new Set([...this.reloading, target.serverId]);
    const result = await reloadServer(client, target.serverId);
    // Every attempt, done or refused, goes to the audit trail.
    const audited = recordAudit(client, {
      time: new Date(this.now()).toISOString(),
      action: 'reload',
      who,
      target: { serverId: target.serverId, server: target.name },
      outcome: result.outcome,
      ...(result.message ? { message: result.message } : {}),
    });
    const still = new Set(this.reloading);
    still.delete(target.serverId);
    this.reloading = still;
    this.attempts = [{ target, result, at: this.now(), audited }, ...this.attempts].slice(0, 10);
  }
}
