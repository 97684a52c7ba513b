import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatNumber } from '../../src/monitor/format.js';
import { shortKey } from '../../src/monitor/names.js';
import { absentNotice, absentOf, absentRow, serverSlots } from '../../src/parts/absent.js';
import { renderCells, renderTable, type TableColumn } from '../../src/parts/table.js';
import type { AccountStat, AccountStatz, Accountz } from '../../client/monitor-types.js';
import { accountsStyles } from './nunect-accounts.styles.js';

/** What the widget shows of one account. Traffic is server-side: `in` came from the clients, `out` went to them. */
export interface AccountRow {
  name: string;
  /** The account's human name when `name` is a public key (operator mode; servers 2.10+ report it). */
  label?: string;
  system: boolean;
  connections: number;
  leafnodes: number;
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
}

/** The global account of servers without configured accounts. */
const GLOBAL = '$G';

const figure = (id: string, label: string, value: (r: AccountRow) => number, format: (n: number) => string = formatCount): TableColumn<AccountRow> => ({
  id,
  label,
  numeric: true,
  cell: (r) => format(value(r)),
});

/** The columns of the table; the figures read "–" until the account statistics are in. */
const COLUMNS: readonly TableColumn<AccountRow>[] = [
  {
    id: 'account',
    label: 'Account',
    rowHeader: true,
    cell: (r) =>
      html`${r.label ? html`${r.label} <span class="mono muted" title=${r.name}>${shortKey(r.name)}</span>` : r.name}${
        r.name === GLOBAL ? html` <span class="muted">(global account)</span>` : nothing
      }${r.system ? html` <span class="badge" part="badge">system</span>` : nothing}`,
  },
  figure('connections', 'Connections', (r) => r.connections),
  figure('leafnodes', 'Leaf nodes', (r) => r.leafnodes),
  figure('total', 'Total', (r) => r.connections + r.leafnodes),
  figure('in_msgs', 'Msgs in', (r) => r.inMsgs),
  figure('out_msgs', 'Msgs out', (r) => r.outMsgs),
  figure('in_bytes', 'Bytes in', (r) => r.inBytes, formatBytes),
  figure('out_bytes', 'Bytes out', (r) => r.outBytes, formatBytes),
];
const UNKNOWN_COUNTS: readonly TableColumn<AccountRow>[] = COLUMNS.map((c, i) => (i === 0 ? c : { ...c, cell: () => '–' }));

/** The figures by server: the same columns, a server (or "All servers") in the first. */
const SERVER_COLUMNS: readonly TableColumn<AccountRow>[] = [{ id: 'server', label: 'Server', rowHeader: true, cell: (r) => r.name }, ...COLUMNS.slice(1)];

function emptyRow(name: string): AccountRow {
  return { name, system: false, connections: 0, leafnodes: 0, inMsgs: 0, outMsgs: 0, inBytes: 0, outBytes: 0 };
}

/** Adds one server's statistics of an account to `r`. */
function add(r: AccountRow, a: AccountStat): void {
  r.connections += a.conns ?? 0;
  r.leafnodes += a.leafnodes ?? 0;
  // The server's view: it received from the account's clients, and sent to them.
  r.inMsgs += a.received?.msgs ?? 0;
  r.inBytes += a.received?.bytes ?? 0;
  r.outMsgs += a.sent?.msgs ?? 0;
  r.outBytes += a.sent?.bytes ?? 0;
}

/**
 * Accounts with live connection counts: every account the servers know (ACCOUNTZ), the system
 * account marked, with its client connections, leaf nodes, messages and bytes, summed over the
 * servers of the cluster, from the account statistics (`$SYS.REQ.ACCOUNT.PING.STATZ`); for a
 * cluster, the same figures by server next to their total, a server that does not answer (or
 * stopped) named in its row and above the accounts. Needs a user of the system account.
 *
 * @tag nunect-accounts
 * @summary Accounts and their live connections.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart table - The table of accounts, and the table by server.
 * @csspart absent - The line naming the servers that do not answer, stopped or are in lame-duck mode.
 * @csspart empty - The row that says there are no accounts.
 * @csspart badge - The "system" badge.
 * @csspart note - The line that says where the counts come from.
 *
 * @cssprop --nunect-accounts-header-background - Background of the table's header row.
 * @cssprop --nunect-accounts-scroll-shadow - Colour of the shadow at the table's right edge while more columns lie beyond it.
 * @cssprop --nunect-accounts-badge-background - Background of the "system" badge.
 * @cssprop --nunect-accounts-global-color - Text colour of the global account (`$G`).
 * @cssprop --nunect-accounts-idle-color - Colour of the figures of an account without connections.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectAccounts extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...accountsStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  readonly #accountz = new PollController<Accountz>(this, this.hubs, () => ({ kind: 'ACCOUNTZ', interval: this.interval }));
  readonly #statz = new PollController<AccountStatz>(this, this.hubs, () => ({
    kind: 'ACCSTATZ',
    interval: this.interval,
    // Without `accounts`, every account; with `include_unused`, also those without connections.
    params: { include_unused: true },
  }));

  get #snapshots() {
    return [this.#accountz.snapshot, this.#statz.snapshot];
  }

  protected override computeState(): WidgetState {
    const snapshots = this.#snapshots;
    const settled = snapshots.every((s) => s.replies || s.error);
    const hasData = settled && !!this.#accountz.snapshot.replies && snapshots.some((s) => s.replies);
    return widgetState(this.hubs.status, hasData, settled ? snapshots.find((s) => s.error)?.error : undefined);
  }

  /** The accounts as shown: sorted by name, the global account last. */
  #rows(): AccountRow[] {
    const rows = new Map<string, AccountRow>();
    const row = (name: string) => {
      let r = rows.get(name);
      if (!r) rows.set(name, (r = emptyRow(name)));
      return r;
    };
    for (const reply of this.#accountz.snapshot.replies ?? []) {
      for (const name of reply.data?.accounts ?? []) row(name);
      if (reply.data?.system_account) row(reply.data.system_account).system = true;
    }
    for (const reply of this.#statz.snapshot.replies ?? []) {
      for (const a of reply.data?.account_statz ?? []) {
        const r = row(a.acc);
        if (a.name && a.name !== a.acc) r.label = a.name;
        add(r, a);
      }
    }
    return [...rows.values()].sort((a, b) => Number(a.name === GLOBAL) - Number(b.name === GLOBAL) || a.name.localeCompare(b.name));
  }

  override render() {
    const error = this.#snapshots.find((s) => s.error)?.error;
    const showing = this.state === 'ready' || this.state === 'stale';
    const absent = absentOf(...this.#snapshots);
    return html`${this.renderStatus(error, 'accounts')}
    ${showing ? html`${absentNotice(absent, this.now(), 'Not counted:')} ${this.#renderTable()} ${this.#renderByServer()}` : nothing}`;
  }

  /** The figures by server and their total, for a cluster; absent servers in their place, by name. */
  #renderByServer() {
    const { replies, absent } = this.#statz.snapshot;
    const slots = serverSlots(replies ?? [], absent);
    if (!replies || slots.length < 2) return nothing;
    const now = this.now();
    const total = emptyRow('All servers');
    const tr = (r: AccountRow, cls?: string) =>
      html`<tr class=${cls ?? nothing}>
        ${renderCells(SERVER_COLUMNS, r)}
      </tr>`;
    const serverRow = (stats: readonly AccountStat[], name: string) => {
      const r = emptyRow(name);
      for (const a of stats) {
        add(r, a);
        add(total, a);
      }
      return tr(r);
    };
    // The server rows first: they fill the total.
    const body = slots.map((s) => (s.reply ? serverRow(s.reply.data!.account_statz ?? [], s.name) : absentRow(s.absent, now, SERVER_COLUMNS.length)));
    return html`<h2 id="by-server-title">By server</h2>
      ${renderTable({ columns: SERVER_COLUMNS, rows: [total], labelledBy: 'by-server-title', body: html`${body}${tr(total, 'total')}` })}`;
  }

  #renderTable() {
    const rows = this.#rows();
    const countsKnown = !!this.#statz.snapshot.replies;
    const servers = this.#accountz.snapshot.replies?.length ?? 0;
    return html`<h2 id="accounts-title">
        Accounts <span class="muted">(${formatNumber(rows.length)}${servers > 1 ? `, on ${formatNumber(servers)} servers` : ''})</span>
      </h2>
      ${renderTable({
        columns: countsKnown ? COLUMNS : UNKNOWN_COUNTS,
        rows,
        labelledBy: 'accounts-title',
        key: (r) => r.name,
        rowClass: (r) => [r.name === GLOBAL ? 'global' : '', countsKnown && !(r.connections + r.leafnodes) ? 'idle' : ''].filter(Boolean).join(' '),
        empty: 'No accounts.',
      })}
      <p class="note muted" part="note">
        Live counts from the account statistics; messages and bytes since each server loaded the account (in: from the clients, out: to them).
      </p>`;
  }
}
