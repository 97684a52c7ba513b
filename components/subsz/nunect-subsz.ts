import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { assertPublishSubject, NunectError } from '../../client/index.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { Task, TaskStatus } from '@lit/task';
import { formatCount, formatNumber, formatPercent } from '../../src/monitor/format.js';
import type { Accountz, Connz, MonitorParams, MonitorReply, ServerRef, Subsz, SubszEntry } from '../../client/monitor-types.js';
import { absentCard, absentNotice, serverSlots } from '../../src/parts/absent.js';
import { pageRange, pager } from '../../src/parts/pager.js';
import { renderTable, withServerColumn, type TableColumn } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { subszStyles } from './nunect-subsz.styles.js';

interface Match extends SubszEntry {
  server: ServerRef;
  client?: string;
}

/** The answer of a lookup: the matching subscriptions of every server that answered. */
interface LookupResult {
  subject: string;
  account: string;
  matches: Match[];
  servers: number;
}

/** The columns both tables of subscriptions have. */
const ACCOUNT: TableColumn<Match> = { id: 'account', label: 'Account', cell: (s) => s.account ?? '–' };
const QUEUE_GROUP: TableColumn<Match> = { id: 'qgroup', label: 'Queue group', cell: (s) => s.qgroup ?? '–' };
const MESSAGES: TableColumn<Match> = { id: 'msgs', label: 'Messages', numeric: true, cell: (s) => formatCount(s.msgs) };
const subject = (label: string): TableColumn<Match> => ({ id: 'subject', label, cellClass: 'mono subject', cell: (s) => s.subject });

/** The subscription list. */
const LIST_COLUMNS: readonly TableColumn<Match>[] = [
  ACCOUNT,
  subject('Subject'),
  QUEUE_GROUP,
  { id: 'cid', label: 'Client (cid)', numeric: true, cell: (s) => s.cid ?? '–' },
  MESSAGES,
];

/** The subscriptions that receive a subject, with the client names found. */
const MATCH_COLUMNS: readonly TableColumn<Match>[] = [
  subject('Subscription'),
  QUEUE_GROUP,
  ACCOUNT,
  {
    id: 'client',
    label: 'Client',
    cell: (m) => (m.client !== undefined ? html`${m.client} <span class="muted">(cid ${m.cid})</span>` : `cid ${m.cid ?? '–'}`),
  },
  MESSAGES,
];

/** How many matching subscriptions a lookup asks each server for. */
const LOOKUP_LIMIT = 1024;
/** Client names are looked up (one CONNZ request per client) only for this many clients or fewer. */
const NAME_LOOKUPS = 20;

/**
 * Subscriptions: the subject routing statistics of every server (subscriptions, cache, inserts,
 * removes, matches, fan-out, cache hit rate) and, for a cluster, their totals over the servers
 * that answered; a server that does not answer or stopped is named, in a marked card and above the
 * subscription list. Then a page of the subscriptions themselves, and
 * "who receives this subject?" — which subscriptions a message published on a literal subject
 * would reach. Optionally for one account. Needs a user of the system account.
 *
 * @tag nunect-subsz
 * @summary Subscription statistics, the subscription list and "who receives this subject?".
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart toolbar - The account filter.
 * @csspart server - One server's statistics (also a server that does not answer: `server absent`).
 * @csspart total - The cluster's totals (several servers).
 * @csspart absent - The card of a server that does not answer, and the line naming it above the subscription list.
 * @csspart tile - One figure.
 * @csspart lookup - The "who receives this subject?" form and its answer.
 * @csspart table - The tables of subscriptions.
 * @csspart empty - The row that says the subscription list has nothing (on this page).
 * @csspart pager - The previous/next page controls and the range.
 *
 * @cssprop --nunect-subsz-gap - Space between sections and server cards.
 * @cssprop --nunect-subsz-tile-width - Minimum width of a figure.
 * @cssprop --nunect-subsz-tile-background - Background of a figure.
 * @cssprop --nunect-subsz-list-max-height - Height after which the subscription list (and the list of a lookup's matches) scrolls.
 * @cssprop --nunect-subsz-header-background - Background of the tables' sticky header rows.
 * @cssprop --nunect-subsz-scroll-shadow - Colour of the shadow at a table's right edge while more columns lie beyond it.
 * @cssprop --nunect-subsz-invalid-color - Colour of a subject that is not valid, and of a failed lookup.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectSubsz extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...subszStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  /** Subscriptions per page (asked of each server). */
  @property({ type: Number }) limit = 100;

  /** Only this account (its name, or its public key in operator mode); empty for every account. */
  @property() account = '';

  /** The first subscription shown (paging). */
  @state() private offset = 0;

  /** Why the subject typed in the lookup is not a literal subject (checked before asking). */
  @state() private invalidSubject?: string;

  /**
   * "Who receives this subject?": a one-shot request (SUBSZ with `test`), run on submit. @lit/task
   * keeps the last answer while a new one runs and drops answers that arrive out of order.
   */
  readonly #lookup = new Task<[string, string], LookupResult>(this, {
    autoRun: false,
    task: async ([subject, account], { signal }) => {
      const source = this.hubs.hub.monitorSource;
      if (!source || !this.hubs.hub.monitorAvailable) throw new NunectError('CLOSED', 'not connected');
      const replies = await source.fetch<Subsz>(
        'SUBSZ',
        { subscriptions: true, test: subject, account: account || undefined, limit: LOOKUP_LIMIT },
        { signal },
      );
      const good = replies.filter((r) => !r.error);
      if (!good.length) throw new NunectError('NATS', replies[0]?.error?.description ?? 'no answer');
      const matches: Match[] = good.flatMap((r) => (r.data?.subscriptions_list ?? []).map((s) => ({ ...s, server: r.server })));
      return { subject, account, matches, servers: good.length };
    },
  });

  /** Client names of the last answer's subscriptions (one targeted CONNZ per client; best effort). */
  readonly #clientNames = new Task<[LookupResult | undefined], Map<string, string>>(this, {
    args: () => [this.#lookup.value],
    task: ([result], { signal }) => this.#nameClients(result, signal),
  });

  /** The last replies, kept on screen while another page or account loads. */
  #kept?: MonitorReply<Subsz>[];

  readonly #poll = new PollController<Subsz>(
    this,
    this.hubs,
    () => ({
      kind: 'SUBSZ',
      interval: this.interval,
      params: { subscriptions: true, offset: this.offset, limit: this.#pageSize, account: this.account || undefined },
    }),
    (snapshot) => {
      if (snapshot.replies) this.#kept = snapshot.replies;
    },
  );

  readonly #accounts = new PollController<Accountz>(this, this.hubs, () => ({ kind: 'ACCOUNTZ', interval: this.interval }));

  constructor() {
    super();
    this.hubs.onChange(() => {
      this.#kept = undefined;
    });
  }

  get #replies(): MonitorReply<Subsz>[] | undefined {
    return this.#poll.snapshot.replies ?? this.#kept;
  }

  get #pageSize(): number {
    return Number.isFinite(this.limit) && this.limit > 0 ? Math.floor(this.limit) : 100;
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, !!this.#replies, this.#poll.snapshot.error);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another account or page size starts again at the first page.
    if ((changed.has('account') && changed.get('account') !== undefined) || (changed.has('limit') && changed.get('limit') !== undefined)) {
      this.offset = 0;
    }
    super.willUpdate(changed);
  }

  override render() {
    const replies = this.#replies;
    const good = replies?.filter((r) => r.data) ?? [];
    const absent = this.#poll.snapshot.absent ?? [];
    const now = this.now();
    const many = good.length + absent.length > 1;
    return html`${this.renderStatus(this.#poll.snapshot.error, 'subscriptions')}
    ${
      replies
        ? html`${this.#renderToolbar(good)}
            <section aria-labelledby="stats-title">
              <h2 id="stats-title">Subject routing${this.account ? html` in ${this.account}` : nothing}</h2>
              <div class="servers">
                ${many ? this.#renderTotals(good) : nothing}
                ${serverSlots(good, absent).map((s) =>
                  s.reply ? this.#renderStats(s.reply.server, s.reply.data!, many) : absentCard(s.absent, now, { note: 'not in the totals' }),
                )}
              </div>
            </section>
            ${absentNotice(absent, now, 'Their subscriptions are not in the answers and the list below:')} ${this.#renderLookup(good.length > 1)}
            ${this.#renderList(good)}`
        : nothing
    }`;
  }

  /** Sums over the servers that answered (fan-out: the largest; the hit rate and average fan-out are per server only). */
  #renderTotals(replies: MonitorReply<Subsz>[]) {
    const sum = (f: (s: Subsz) => number) => replies.reduce((t, r) => t + (f(r.data!) || 0), 0);
    const n = replies.length;
    return html`<section class="server total" part="server total" aria-label="Subject routing, all servers">
      <header><strong>All servers</strong> <span class="muted">sum of ${formatNumber(n)} ${n === 1 ? 'server' : 'servers'}</span></header>
      <dl>
        ${tile('Subscriptions', formatCount(sum((s) => s.num_subscriptions)))} ${tile('Cache entries', formatCount(sum((s) => s.num_cache)))}
        ${tile('Inserts', formatCount(sum((s) => s.num_inserts)))} ${tile('Removes', formatCount(sum((s) => s.num_removes)))}
        ${tile('Matches', formatCount(sum((s) => s.num_matches)))} ${tile('Fan-out max', formatCount(Math.max(...replies.map((r) => r.data!.max_fanout || 0))))}
      </dl>
    </section>`;
  }

  #knownAccounts(replies: MonitorReply<Subsz>[]): string[] {
    const names = new Set<string>();
    for (const r of this.#accounts.snapshot.replies ?? []) for (const a of r.data?.accounts ?? []) names.add(a);
    for (const r of replies) for (const s of r.data?.subscriptions_list ?? []) if (s.account) names.add(s.account);
    if (this.account) names.add(this.account);
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  #renderToolbar(replies: MonitorReply<Subsz>[]) {
    const onChange = (e: Event) => {
      this.account = (e.target as HTMLSelectElement).value;
    };
    return html`<div class="toolbar" part="toolbar">
      <label for="account">Account</label>
      <select id="account" @change=${onChange}>
        <option value="" ?selected=${!this.account}>All accounts</option>
        ${this.#knownAccounts(replies).map((a) => html`<option .value=${a} ?selected=${a === this.account}>${a}</option>`)}
      </select>
    </div>`;
  }

  #renderStats(server: ServerRef, s: Subsz, many: boolean) {
    return html`<section class="server" part="server" aria-label=${`Subject routing on ${server.name}`}>
      ${many ? html`<header><strong>${server.name}</strong></header>` : nothing}
      <dl>
        ${tile('Subscriptions', formatCount(s.num_subscriptions))} ${tile('Cache entries', formatCount(s.num_cache))}
        ${tile('Inserts', formatCount(s.num_inserts))} ${tile('Removes', formatCount(s.num_removes))} ${tile('Matches', formatCount(s.num_matches))}
        ${tile('Cache hit rate', formatPercent(Number.isFinite(s.cache_hit_rate) ? s.cache_hit_rate * 100 : undefined))}
        ${tile('Fan-out avg · max', `${formatNumber(s.avg_fanout, 2)} · ${formatCount(s.max_fanout)}`)}
      </dl>
    </section>`;
  }

  #renderLookup(many: boolean) {
    const invalid = this.invalidSubject !== undefined;
    const done = !invalid && this.#lookup.status === TaskStatus.COMPLETE ? this.#lookup.value : undefined;
    return html`<section class="lookup" part="lookup" aria-labelledby="lookup-title">
      <h2 id="lookup-title">Who receives this subject?</h2>
      <form @submit=${this.#onLookup} novalidate>
        <label for="test-subject">Subject</label>
        <input
          id="test-subject"
          name="subject"
          class="mono"
          autocomplete="off"
          spellcheck="false"
          placeholder="orders.eu.created"
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby="lookup-result"
        />
        <button type="submit">Check</button>
      </form>
      <p id="lookup-result" class="result ${this.#lookupState()}" role="status">${this.#lookupSummary()}</p>
      ${done?.matches.length ? this.#renderMatches(this.#named(done.matches), many) : nothing}
    </section>`;
  }

  /** idle, invalid, pending, failed or done (the class of the answer line). */
  #lookupState(): string {
    if (this.invalidSubject !== undefined) return 'invalid';
    switch (this.#lookup.status) {
      case TaskStatus.INITIAL:
        return 'idle';
      case TaskStatus.PENDING:
        return 'pending';
      case TaskStatus.ERROR:
        return 'failed';
      default:
        return 'done';
    }
  }

  #lookupSummary(): string {
    const where = (account: string) => (account ? ` in account ${account}` : '');
    if (this.invalidSubject !== undefined) return this.invalidSubject;
    const [subject, account] = this.#lookupArgs;
    switch (this.#lookup.status) {
      case TaskStatus.INITIAL:
        return 'Enter a literal subject (no wildcards) to see which subscriptions a message on it reaches.';
      case TaskStatus.PENDING:
        return `Checking ${subject}${where(account)}…`;
      case TaskStatus.ERROR: {
        const e = this.#lookup.error;
        return `Could not check ${subject}: ${e instanceof Error ? e.message : String(e)}`;
      }
      default: {
        const l = this.#lookup.value!;
        if (!l.matches.length) return `No subscription receives ${l.subject}${where(l.account)}.`;
        const direct = l.matches.filter((m) => !m.qgroup).length;
        const groups = new Set(l.matches.filter((m) => m.qgroup).map((m) => `${m.server.id} ${m.account ?? ''} ${m.qgroup}`)).size;
        const parts: string[] = [];
        if (direct) parts.push(`${formatNumber(direct)} ${direct === 1 ? 'subscription' : 'subscriptions'}`);
        if (groups) parts.push(`${formatNumber(groups)} queue ${groups === 1 ? 'group' : 'groups'} (one member of each gets the message)`);
        return `A message on ${l.subject}${where(l.account)} reaches ${parts.join(' and ')}.`;
      }
    }
  }

  /** The matches with the client names found so far. */
  #named(matches: Match[]): Match[] {
    const names = this.#clientNames.value;
    if (!names?.size) return matches;
    return matches.map((m) => {
      const name = names.get(`${m.server.id} ${m.cid}`);
      return name === undefined ? m : { ...m, client: name || '(no name)' };
    });
  }

  #renderMatches(matches: Match[], many: boolean) {
    return renderTable({
      columns: withServerColumn(many, MATCH_COLUMNS),
      rows: matches,
      label: 'Subscriptions that receive the subject',
      scrollClass: 'matches',
    });
  }

  #renderList(replies: MonitorReply<Subsz>[]) {
    const many = replies.length > 1;
    const rows = replies.flatMap((r) => (r.data?.subscriptions_list ?? []).map((s): Match => ({ ...s, server: r.server })));
    const size = this.#pageSize;
    const more = replies.some((r) => (r.data?.subscriptions_list?.length ?? 0) >= size);
    const shown = Math.max(0, ...replies.map((r) => r.data?.subscriptions_list?.length ?? 0));
    const range = pageRange(this.offset, shown) || 'none';
    return html`<section aria-labelledby="list-title">
      <h2 id="list-title">Subscriptions</h2>
      ${renderTable({
        columns: withServerColumn(many, LIST_COLUMNS),
        rows,
        label: 'Subscription list',
        empty: this.offset ? 'No more subscriptions.' : 'No subscriptions.',
      })}
      ${pager({
        label: 'Subscription pages',
        first: this.offset,
        shown,
        hasNext: more,
        status: many ? `Per server: ${range}` : `Showing ${range}`,
        onPrevious: this.#onPrevious,
        onNext: this.#onNext,
      })}
    </section>`;
  }

  #onPrevious = () => {
    this.offset = Math.max(0, this.offset - this.#pageSize);
  };

  #onNext = () => {
    this.offset += this.#pageSize;
  };

  /** Subject and account of the last lookup started. */
  #lookupArgs: [string, string] = ['', ''];

  #onLookup = (e: SubmitEvent) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('subject') as HTMLInputElement;
    const subject = input.value.trim();
    try {
      assertPublishSubject(subject);
    } catch (err) {
      this.invalidSubject = err instanceof Error ? `Not a literal subject: ${err.message}` : String(err);
      input.focus();
      return;
    }
    this.invalidSubject = undefined;
    this.#lookupArgs = [subject, this.account];
    void this.#lookup.run(this.#lookupArgs);
  };

  async #nameClients(result: LookupResult | undefined, signal: AbortSignal): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const source = this.hubs.hub.monitorSource;
    if (!result || !source) return names;
    const clients = new Map<string, { server: ServerRef; cid: number }>();
    for (const m of result.matches) if (m.cid !== undefined) clients.set(`${m.server.id} ${m.cid}`, { server: m.server, cid: m.cid });
    if (!clients.size || clients.size > NAME_LOOKUPS) return names;
    await Promise.allSettled(
      [...clients].map(async ([key, { server, cid }]) => {
        const params: MonitorParams = { cid };
        const replies = await source.fetch<Connz>('CONNZ', params, { serverId: server.id, signal });
        const conn = replies[0]?.data?.connections?.find((c) => c.cid === cid);
        if (conn) names.set(key, conn.name ?? '');
      }),
    );
    return names;
  }
}
