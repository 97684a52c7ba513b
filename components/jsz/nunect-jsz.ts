import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { styleProps } from '../../src/parts/style-props.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatNumber } from '../../src/monitor/format.js';
import type { AccountDetail, ConsumerDetail, Jsz, MonitorReply, ServerRef, StreamDetail } from '../../client/monitor-types.js';
import type { AbsentServer } from '../../src/monitor/roster.js';
import { absentCard, absentStatus, serverSlots } from '../../src/parts/absent.js';
import { renderTable, type TableColumn } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { groupHealth, JSZ_PARAMS, memberText, metaGroup, unhealthy, type GroupHealth, type HealthOptions, type MemberHealth } from './replication.js';
import { jszStyles } from './nunect-jsz.styles.js';

/** Integers from 2^53 on are not exact in JavaScript; the server uses 2^64-1 (and -1) for "no limit". */
const EXACT = 2 ** 53;

/** Bytes, or "unlimited" for the server's no-limit values (negative, or ≥ 2^53 such as 2^64-1). */
export function formatLimit(n: number | undefined): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  return n < 0 || n >= EXACT ? 'unlimited' : formatBytes(n);
}

/** A count that may be a uint64 no-limit value. */
function count(n: number | undefined): string {
  return n !== undefined && n >= EXACT ? 'unlimited' : formatCount(n);
}

interface StreamRow {
  stream: StreamDetail;
  server: ServerRef;
}

interface ConsumerRow {
  stream: string;
  c: ConsumerDetail;
}

/** A count that needs a look when it is not zero (ack pending, redelivered). */
const busy = (n: number | undefined) => (n ? html`<span class="busy">${count(n)}</span>` : count(n));

const STREAM_COLUMNS: readonly TableColumn<StreamRow>[] = [
  { id: 'stream', label: 'Stream', cell: ({ stream }) => stream.name },
  {
    id: 'subjects',
    label: 'Subjects',
    cellClass: 'mono subjects',
    cell: ({ stream }) => (stream.config?.subjects?.length ? stream.config.subjects.join(', ') : '–'),
  },
  {
    id: 'storage',
    label: 'Storage',
    cell: ({ stream }) =>
      `${stream.config?.storage ?? '–'}${stream.config?.num_replicas && stream.config.num_replicas > 1 ? ` · R${stream.config.num_replicas}` : ''}`,
  },
  { id: 'messages', label: 'Messages', numeric: true, cell: ({ stream }) => count(stream.state.messages) },
  { id: 'bytes', label: 'Bytes', numeric: true, cell: ({ stream }) => formatLimit(stream.state.bytes) },
  { id: 'consumers', label: 'Consumers', numeric: true, cell: ({ stream }) => count(stream.state.consumer_count) },
];

const CONSUMER_COLUMNS: readonly TableColumn<ConsumerRow>[] = [
  { id: 'stream', label: 'Stream', cell: (x) => x.stream },
  { id: 'consumer', label: 'Consumer', cell: ({ c }) => c.name },
  { id: 'pending', label: 'Pending', numeric: true, cell: ({ c }) => count(c.num_pending) },
  { id: 'ack_pending', label: 'Ack pending', numeric: true, cell: ({ c }) => busy(c.num_ack_pending) },
  { id: 'redelivered', label: 'Redelivered', numeric: true, cell: ({ c }) => busy(c.num_redelivered) },
  { id: 'waiting', label: 'Waiting pulls', numeric: true, cell: ({ c }) => count(c.num_waiting) },
];

/** A replica's figure as its leader reports it ("–" for the leader itself, or when the leader did not report). */
const known = (m: MemberHealth, text: string) => (m.known && !m.leader ? text : '–');

/** "ok", or what is wrong, marked (colour and the words). */
function healthCell(problems: readonly string[]) {
  return problems.length ? html`<span class="unhealthy">${problems.join('; ')}</span>` : html`<span class="healthy">ok</span>`;
}

const MEMBER_COLUMNS: readonly TableColumn<MemberHealth>[] = [
  { id: 'server', label: 'Server', rowHeader: true, cell: (m) => m.name },
  { id: 'role', label: 'Role', cell: (m) => (m.leader ? 'leader' : 'follower') },
  { id: 'current', label: 'Current', cell: (m) => known(m, m.current === undefined ? '–' : m.current ? 'yes' : 'no') },
  { id: 'lag', label: 'Lag', numeric: true, cell: (m) => known(m, formatCount(m.lag ?? 0)) },
  { id: 'active', label: 'Last active', numeric: true, cell: (m) => known(m, m.activeMs === undefined ? '–' : `${formatDuration(m.activeMs)} ago`) },
  { id: 'health', label: 'Health', cell: (m) => (m.problems.length || m.known ? healthCell(m.problems) : 'unknown') },
];

interface StreamHealthRow {
  account: string;
  stream: StreamDetail;
  health: GroupHealth;
}

/** Everything wrong with a group, each problem with its server. */
function groupProblems(g: GroupHealth): string[] {
  return [...g.problems, ...g.members.filter((m) => m.problems.length).map((m) => `${m.name}: ${m.problems.join(', ')}`)];
}

const STREAM_HEALTH_COLUMNS: readonly TableColumn<StreamHealthRow>[] = [
  { id: 'stream', label: 'Stream', rowHeader: true, cell: (r) => r.stream.name },
  { id: 'account', label: 'Account', cell: (r) => r.account },
  { id: 'replicas', label: 'Replicas', numeric: true, cell: (r) => formatCount(r.stream.config?.num_replicas ?? r.health.members.length) },
  { id: 'leader', label: 'Leader', cell: (r) => r.health.leader ?? html`<span class="unhealthy">none</span>` },
  {
    id: 'members',
    label: 'Peers',
    cellClass: 'members',
    cell: (r) =>
      html`<ul>
        ${r.health.members.map((m) => html`<li class=${m.problems.length ? 'unhealthy' : ''}>${m.name}${m.leader ? ' (leader)' : ''}: ${memberText(m)}</li>`)}
      </ul>`,
  },
  { id: 'health', label: 'Health', cellClass: 'wrap', cell: (r) => healthCell(groupProblems(r.health)) },
];

/** A stream with more than one replica (or that reports its replicas). */
const replicated = (s: StreamDetail) => (s.config?.num_replicas ?? 1) > 1 || !!(s.cluster as { replicas?: unknown[] } | undefined)?.replicas?.length;

interface AccountView {
  name: string;
  stats: AccountDetail[];
  streams: Map<string, StreamRow>;
}

/**
 * JetStream: per server whether it is enabled, memory and storage used against the reserved and
 * the maximum, streams, consumers, messages, bytes and API requests and errors (a server that does
 * not answer or stopped gets a marked card); then replication — the meta group and every
 * replicated stream with its leader and replicas (current, lag, last activity, offline), an
 * unhealthy one marked in colour and in words; then every account's streams (subjects, messages,
 * bytes, consumers) and consumers (pending, ack pending, redelivered). A stream replicated on
 * several servers is listed once, as its leader reports it (only a leader knows its replicas'
 * state). Needs a user of the system account.
 *
 * @tag nunect-jsz
 * @summary JetStream usage, streams and consumers.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart server - One server's card (also a server that does not answer: `server absent`).
 * @csspart absent - The card of a server that does not answer, stopped or is in lame-duck mode.
 * @csspart tile - One figure.
 * @csspart replication - The replication section: the meta group and the replicated streams.
 * @csspart account - One account's streams and consumers.
 * @csspart table - A table of streams, consumers or replicas.
 *
 * @cssprop --nunect-jsz-gap - Space between cards and sections.
 * @cssprop --nunect-jsz-tile-width - Minimum width of a figure.
 * @cssprop --nunect-jsz-tile-background - Background of a figure.
 * @cssprop --nunect-jsz-badge-background - Background of the enabled/disabled badge.
 * @cssprop --nunect-jsz-bar-color - Fill of the memory and storage usage bars.
 * @cssprop --nunect-jsz-bar-track - Track of the usage bars.
 * @cssprop --nunect-jsz-pending-color - Colour of non-zero ack pending and redelivered counts.
 * @cssprop --nunect-jsz-header-background - Background of the tables' header rows.
 * @cssprop --nunect-jsz-scroll-shadow - Colour of the shadow at a table's right edge while more columns lie beyond it.
 * @cssprop --nunect-jsz-unhealthy-color - Colour of an unhealthy replica or group (the words say it too).
 * @cssprop --nunect-jsz-healthy-color - Colour of "ok" in the replication tables.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectJsz extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...jszStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  /**
   * Milliseconds since a replica's last activity (as its leader saw it) after which it counts as
   * behind. Healthy peers are heard from about every second.
   */
  @property({ type: Number, attribute: 'replica-active-limit' }) replicaActiveLimit = 3_000;

  // `config` brings the stream subjects.
  readonly #poll = new PollController<Jsz>(this, this.hubs, () => ({ kind: 'JSZ', interval: this.interval, params: JSZ_PARAMS }));

  protected override computeState(): WidgetState {
    const { replies, error } = this.#poll.snapshot;
    return widgetState(this.hubs.status, !!replies, error);
  }

  override render() {
    const { replies, error, absent = [] } = this.#poll.snapshot;
    const good = replies?.filter((r) => r.data) ?? [];
    const now = this.now();
    const accounts = this.#accounts(good);
    return html`${this.renderStatus(error, 'JetStream figures')}
    ${
      replies
        ? html`<section aria-labelledby="servers-title">
              <h2 id="servers-title">JetStream servers</h2>
              <div class="servers">
                ${serverSlots(good, absent).map((s) =>
                  s.reply
                    ? this.#renderServer(s.reply.server, s.reply.data!)
                    : absentCard(s.absent, now, { label: `JetStream on ${s.name}: ${absentStatus(s.absent)}`, note: 'its JetStream figures are not shown' }),
                )}
              </div>
            </section>
            ${this.#renderReplication(good, accounts, absent)} ${this.#renderAccounts(accounts)}`
        : nothing
    }`;
  }

  #healthOptions(absent: readonly AbsentServer[]): HealthOptions {
    const limit = Number.isFinite(this.replicaActiveLimit) && this.replicaActiveLimit > 0 ? this.replicaActiveLimit : 3_000;
    return { activeLimit: limit, absent: new Map(absent.map((a) => [a.name, a])) };
  }

  /** The meta group and the replicated streams, from their leaders' replies. */
  #renderReplication(replies: MonitorReply<Jsz>[], accounts: AccountView[], absent: readonly AbsentServer[]) {
    const options = this.#healthOptions(absent);
    const meta = metaGroup(replies);
    const streams: StreamHealthRow[] = accounts.flatMap((a) =>
      [...a.streams.values()]
        .filter(({ stream }) => replicated(stream))
        .sort((x, y) => x.stream.name.localeCompare(y.stream.name))
        .map(({ stream, server }) => ({ account: a.name, stream, health: groupHealth(stream.cluster ?? {}, server.name, options) })),
    );
    if (!meta && !streams.length) return nothing;
    return html`<section class="replication" part="replication" aria-labelledby="replication-title">
      <h2 id="replication-title">Replication</h2>
      ${meta ? this.#renderMeta(groupHealth(meta.group, meta.reporter, options), meta.group) : nothing}
      ${
        streams.length
          ? renderTable({
              columns: STREAM_HEALTH_COLUMNS,
              rows: streams,
              caption: 'Replicated streams',
              label: 'Replicated streams',
              key: (r) => `${r.account} ${r.stream.name}`,
              rowClass: (r) => (unhealthy(r.health) ? 'unhealthy' : undefined),
            })
          : nothing
      }
    </section>`;
  }

  #renderMeta(health: GroupHealth, group: { name?: string; cluster_size?: number; quorum_needed?: number }) {
    const size = group.cluster_size ?? health.members.length;
    return html`<div class="meta ${unhealthy(health) ? 'unhealthy' : ''}">
      <p class="meta-summary">
        <strong>Meta group${group.name ? ` ${group.name}` : ''}</strong>
        <span>${health.leader ? `leader ${health.leader}` : html`<span class="unhealthy">no leader</span>`}</span>
        <span class="muted"
          >${formatNumber(size)} ${size === 1 ? 'peer' : 'peers'}${group.quorum_needed ? ` · quorum ${formatNumber(group.quorum_needed)}` : ''}</span
        >
        ${health.problems.length ? html`<span class="unhealthy">${health.problems.join('; ')}</span>` : nothing}
        ${!health.fromLeader ? html`<span class="muted">as ${health.reporter} reports it (the peers' state is unknown)</span>` : nothing}
      </p>
      ${renderTable({
        columns: MEMBER_COLUMNS,
        rows: health.members,
        label: 'Meta group peers',
        key: (m) => m.name,
        rowClass: (m) => (m.problems.length ? 'unhealthy' : undefined),
      })}
    </div>`;
  }

  #usage(label: string, used: number | undefined, reserved: number | undefined, max: number | undefined) {
    const limited = max !== undefined && max > 0 && max < EXACT;
    const share = limited && used !== undefined ? Math.min(100, (used / max) * 100) : undefined;
    return tile(
      label,
      formatLimit(used),
      html`<span class="sub">of ${formatLimit(max)} · ${formatLimit(reserved)} reserved</span>
        ${share !== undefined ? html`<span class="bar" aria-hidden="true"><span ${styleProps({ width: `${share.toFixed(1)}%` })}></span></span>` : nothing}`,
    );
  }

  #renderServer(server: ServerRef, j: Jsz) {
    const enabled = !j.disabled && server.jetstream !== false;
    const api = j.api;
    return html`<section class="server" part="server" aria-label=${`JetStream on ${server.name}`}>
      <header>
        <strong>${server.name}</strong>
        <span class="badge ${enabled ? '' : 'off'}">${enabled ? 'JetStream enabled' : 'JetStream disabled'}</span>
        ${j.meta_cluster?.leader ? html`<span class="muted">meta leader ${j.meta_cluster.leader}</span>` : nothing}
      </header>
      ${
        enabled
          ? html`<dl>
              ${this.#usage('Memory', j.memory, j.reserved_memory, j.config?.max_memory)}
              ${this.#usage('Storage', j.storage, j.reserved_storage, j.config?.max_storage)} ${tile('Streams', count(j.streams))}
              ${tile('Consumers', count(j.consumers))} ${tile('Messages', count(j.messages))} ${tile('Bytes', formatLimit(j.bytes))}
              ${tile('API requests', count(api?.total), html`<span class="sub">${count(api?.errors)} ${api?.errors === 1 ? 'error' : 'errors'}</span>`, { warn: !!api?.errors })}
              ${tile('Accounts', count(j.accounts))}
            </dl>`
          : html`<p class="muted">JetStream is not enabled on this server.</p>`
      }
    </section>`;
  }

  /** Accounts across servers; a stream on several servers (replicas) once, from its leader if it answered. */
  #accounts(replies: MonitorReply<Jsz>[]): AccountView[] {
    const accounts = new Map<string, AccountView>();
    for (const r of replies) {
      for (const a of r.data?.account_details ?? []) {
        let view = accounts.get(a.name);
        if (!view) accounts.set(a.name, (view = { name: a.name, stats: [], streams: new Map() }));
        view.stats.push(a);
        for (const stream of a.stream_detail ?? []) {
          const known = view.streams.get(stream.name);
          const leads = stream.cluster?.leader === r.server.name;
          if (!known || (leads && known.stream.cluster?.leader !== known.server.name)) view.streams.set(stream.name, { stream, server: r.server });
        }
      }
    }
    return [...accounts.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  #renderAccounts(accounts: AccountView[]) {
    if (!accounts.length) return nothing;
    const withStreams = accounts.filter((a) => a.streams.size);
    const without = accounts.filter((a) => !a.streams.size).map((a) => a.name);
    return html`<section aria-labelledby="accounts-title">
      <h2 id="accounts-title">Streams by account</h2>
      <div class="accounts">
        ${withStreams.map((a) => this.#renderAccount(a))} ${without.length ? html`<p class="muted">No streams in ${without.join(', ')}.</p>` : nothing}
      </div>
    </section>`;
  }

  #renderAccount(a: AccountView) {
    const sum = (f: (s: AccountDetail) => number) => a.stats.reduce((t, s) => t + (f(s) || 0), 0);
    const streams = [...a.streams.values()].sort((x, y) => x.stream.name.localeCompare(y.stream.name));
    const consumers = streams.flatMap(({ stream }) => (stream.consumer_detail ?? []).map((c) => ({ stream: stream.name, c })));
    const reservedMemory = Math.max(...a.stats.map((s) => s.reserved_memory));
    const reservedStorage = Math.max(...a.stats.map((s) => s.reserved_storage));
    return html`<section class="account" part="account" aria-label=${`Streams of account ${a.name}`}>
      <header>
        <strong>${a.name}</strong>
        <span class="muted">storage ${formatLimit(sum((s) => s.storage))} (reserved ${formatLimit(reservedStorage)})</span>
        <span class="muted">memory ${formatLimit(sum((s) => s.memory))} (reserved ${formatLimit(reservedMemory)})</span>
      </header>
      ${renderTable({ columns: STREAM_COLUMNS, rows: streams, label: `Streams of ${a.name}`, key: (x) => x.stream.name, empty: 'No streams.' })}
      ${
        consumers.length
          ? renderTable({ columns: CONSUMER_COLUMNS, rows: consumers, label: `Consumers of ${a.name}`, key: (x) => `${x.stream} ${x.c.name}` })
          : nothing
      }
    </section>`;
  }
}
