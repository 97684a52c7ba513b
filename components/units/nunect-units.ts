import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { NunectClient, NunectError } from '../../client/index.js';
import { OPS, type ControllerRecord, type UnitEvent, type UnitRecord, type UnitState } from '../../client/units.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { FrameBatchController } from '../../src/controllers/frame-batch-controller.js';
import { RovingFocusController } from '../../src/controllers/roving-focus-controller.js';
import { VirtualWindowController } from '../../src/controllers/virtual-window-controller.js';
import { formatBytes, formatCount, formatDuration, formatNumber, formatSequence, formatTime, MISSING } from '../../src/monitor/format.js';
import { renderRows, renderTable, renderWindow, type SortDirection, type TableColumn, type TableSort } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { kvUnitsSource, opsError, type UnitsSourceFactory, type UnitsWatch } from './units-source.js';
import { unitsStyles } from './nunect-units.styles.js';

export type { UnitsSource, UnitsSourceFactory, UnitsWatch, UnitsWatchHandlers } from './units-source.js';

const STATES: readonly UnitState[] = ['alive', 'late', 'lost', 'stopped'];

/**
 * The default of `virtualRows`: with 1,000 units heartbeating every second, building and laying
 * out every row kept the main thread busy all the time (bench/units.ts); from 100 rows on only
 * those in view are in the DOM.
 */
const VIRTUAL_FROM = 100;
/** The id of the open unit's panel (its row's `aria-controls`). */
const DETAIL_ID = 'unit-detail';

/** The columns the table sorts by (`sort`): each is a column's id. */
export const UNITS_SORT_KEYS = ['unit', 'state', 'why', 'beat', 'version', 'host', 'uptime', 'restarts', 'checks', 'load'] as const;
export type UnitsSortKey = (typeof UNITS_SORT_KEYS)[number];

/**
 * How bad a unit is, worst first: lost, failing (its own checks), late, degraded, alive, stopped
 * (a clean stop: nothing to act on).
 */
export function unitSeverity(u: Pick<UnitRecord, 'state' | 'status'>): number {
  if (u.state === 'stopped') return 5;
  if (u.state === 'lost') return 0;
  if (u.status === 'failing') return 1;
  if (u.state === 'late') return 2;
  if (u.status === 'degraded') return 3;
  return 4;
}

const CHECK_RANK: Record<string, number> = { failing: 0, degraded: 1, ok: 2 };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * A unit's value in a sort column (undefined: not known, listed last either way). Ages (last
 * heartbeat, uptime) sort by the time they count from, so the order does not change as the clock
 * runs and a sorted list stays valid until the data changes.
 */
export function unitSortValue(key: UnitsSortKey, u: UnitRecord): number | string | undefined {
  switch (key) {
    case 'unit':
      return u.unit;
    case 'state':
      return unitSeverity(u);
    case 'why':
      return u.reason || undefined;
    case 'beat':
      return u.lastBeat === undefined ? undefined : -u.lastBeat;
    case 'version':
      return u.version || undefined;
    case 'host':
      return u.host || undefined;
    case 'uptime': {
      const started = u.started ? Date.parse(u.started) : NaN;
      return (u.state === 'alive' || u.state === 'late') && Number.isFinite(started) ? -started : undefined;
    }
    case 'restarts':
      return u.restarts;
    case 'checks':
      // The worst check first (failing, degraded, ok), then more checks first; none last.
      return u.checks.length ? Math.min(...u.checks.map((c) => CHECK_RANK[c.status] ?? 3)) * 1_000 - u.checks.length : undefined;
    case 'load':
      return u.load?.cpu;
  }
}

/** Where each unit stands by name, key → rank: `name` by unit, account, key; `unit` by the unit name alone (names the collator holds equal share one). */
export interface NameOrder {
  name: Map<string, number>;
  unit: Map<string, number>;
}

/** The order by name of `rows`, collated once (see {@link sortUnits}). */
export function nameOrder<R extends { key: string; u: UnitRecord }>(rows: Iterable<R>): NameOrder {
  const sorted = [...rows].sort(
    (a, b) => collator.compare(a.u.unit, b.u.unit) || collator.compare(a.u.account, b.u.account) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const name = new Map<string, number>();
  const unit = new Map<string, number>();
  sorted.forEach((r, i) => {
    name.set(r.key, i);
    const prev = sorted[i - 1];
    unit.set(r.key, prev && !collator.compare(prev.u.unit, r.u.unit) ? unit.get(prev.key)! : i);
  });
  return { name, unit };
}

/**
 * The rows sorted by `sort`; equal values (and, for a sort by state, the same severity) keep a
 * stable order: by unit name, then account, ascending whatever the direction. Unknown values
 * (no heartbeat yet, no version…) come last in both directions. (Ages sort by when they began,
 * so the order does not change as the clock runs.)
 *
 * Only numbers are compared while sorting: the order by name is `order` (from {@link nameOrder},
 * which a caller keeps while the set of units stays the same: heartbeats change values, not
 * names), and other text values are ranked among their distinct values with the `Intl.Collator`
 * first (texts it holds equal share a rank). With 1,000 units and a heartbeat each per second,
 * collating on every comparison took 12–20 ms of CPU per render.
 */
export function sortUnits<R extends { key: string; u: UnitRecord }>(rows: readonly R[], sort: TableSort, order: NameOrder = nameOrder(rows)): R[] {
  const key = (UNITS_SORT_KEYS as readonly string[]).includes(sort.key) ? (sort.key as UnitsSortKey) : 'state';
  const dir = sort.direction === 'descending' ? -1 : 1;
  const last = Number.MAX_SAFE_INTEGER;
  const named = rows.map((r) => ({
    r,
    name: order.name.get(r.key) ?? last,
    v: key === 'unit' ? (order.unit.get(r.key) ?? last) : unitSortValue(key, r.u),
  }));
  const texts = [...new Set(named.map((x) => x.v).filter((v): v is string => typeof v === 'string'))].sort(collator.compare);
  if (texts.length) {
    const rank = new Map<string, number>();
    texts.forEach((t, i) => rank.set(t, i && !collator.compare(texts[i - 1]!, t) ? rank.get(texts[i - 1]!)! : i));
    for (const x of named) if (typeof x.v === 'string') x.v = rank.get(x.v);
  }
  return named
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined) return (a.v === undefined ? 1 : 0) - (b.v === undefined ? 1 : 0) || a.name - b.name;
      return ((a.v as number) - (b.v as number)) * dir || a.name - b.name;
    })
    .map(({ r }) => r);
}

/** A listed unit: its registry key and record. */
interface Row {
  key: string;
  u: UnitRecord;
}

/** What the figures and the toolbar need, counted in one pass per change of the data. */
interface Summary {
  version: number;
  all: number;
  counts: Record<UnitState, number>;
  kinds: string[];
  accounts: string[];
  usual: Map<string, string>;
}

/** The listed rows (filtered, sorted), kept until the data, the sort or a filter changes. */
interface Listed {
  version: number;
  sort: string;
  filters: string;
  rows: Row[];
  /** Each row's index in `rows`, by key (`aria-rowindex`). */
  index: Map<string, number>;
}

interface Timeline {
  key: string;
  since: number;
  events?: UnitEvent[];
  error?: NunectError;
}

const ago = (ms: number | undefined) => (ms === undefined ? MISSING : `${formatDuration(Math.max(0, ms))} ago`);

/**
 * Every unit (NuNet service) the Controller knows, live from the OPS account's KV bucket
 * `OPS_UNITS` (a watch: the server pushes each change, nothing is polled): state (alive, late,
 * lost, stopped) in colour and in words, why, the age of the last heartbeat (counted live on the
 * widget's clock), version (one that differs from the rest of its kind is marked), host, uptime,
 * restarts, each check with its status and message, and load; which liveness the Controller uses
 * (server-pushed markers on nats-server 2.11+, or its own timer). Filter by state, kind and
 * account; sort by any column (click its header, again to reverse; `sort` and `sort-direction`),
 * by default by state, the worst first (lost, failing, late, degraded, alive, stopped), then by
 * name; open a unit (click, Enter or ArrowRight; again, ArrowLeft, Escape or Close shuts it) for
 * its details and its timeline (its state changes from the stream `OPS_UNIT_EVENTS`, newest
 * first) in a panel below the table. Built for 1,000 units heartbeating every second: registry
 * changes are applied at once but rendered at most once per animation frame, the sorted list and
 * the counts are computed once per change, and from `virtualRows` rows on only the rows in view
 * are in the DOM (every row one line of the same height). Needs the OPS account's `dashboard`
 * user (or any user who may read `OPS_UNITS`); anything else is told as an error that says so.
 *
 * @tag nunect-units
 * @summary Units (services) with state, reason, heartbeat age, version skew, checks and timeline.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart tile - A figure tile (units, alive, late, lost, stopped).
 * @csspart liveness - The line that says how the Controller detects late and lost units.
 * @csspart toolbar - The filters.
 * @csspart table - The table of units; its column headers are sort buttons (`aria-sort` on the sorted one).
 * @csspart row - A unit's row (one line); it has `data-state` (alive, late, lost, stopped) and `aria-expanded`.
 * @csspart state - A unit's state badge.
 * @csspart detail - The panel of the open unit, below the table.
 * @csspart close - The button that closes the open unit's panel.
 * @csspart timeline - The list of a unit's state changes.
 * @csspart empty - The "no units" row.
 *
 * @cssprop --nunect-units-gap - Space between the toolbar items.
 * @cssprop --nunect-units-tile-width - Least width of a figure tile (default 110px).
 * @cssprop --nunect-units-tile-background - Background of a figure tile.
 * @cssprop --nunect-units-alive-color - Colour of the alive state.
 * @cssprop --nunect-units-late-color - Colour of the late state (and a degraded status).
 * @cssprop --nunect-units-lost-color - Colour of the lost state (and a failing status).
 * @cssprop --nunect-units-stopped-color - Colour of the stopped state.
 * @cssprop --nunect-units-skew-background - Background of a version that differs from the rest of its kind.
 * @cssprop --nunect-units-expanded-background - Background of the open unit's row.
 * @cssprop --nunect-units-max-height - How tall a long (windowed) table gets before it scrolls down (default 70vh).
 * @cssprop --nunect-units-header-background - Background of the sticky table header.
 * @cssprop --nunect-units-sorted-color - Colour of the sorted column's header.
 * @cssprop --nunect-units-name-background - Background of the sticky unit column.
 * @cssprop --nunect-units-scroll-shadow - The shadow at the table's right edge while it scrolls.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectUnits extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...unitsStyles];

  /** The source of every `<nunect-units>` without a `source` of its own: the KV bucket. */
  static defaultSource: UnitsSourceFactory = kvUnitsSource;

  /** Where the registry comes from (default {@link NunectUnits.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: UnitsSourceFactory;

  /** Milliseconds between redraws of the live ages (last heartbeat, uptime). Nothing is polled. */
  @property({ type: Number }) interval = 1_000;

  /** Shows only units in this state (`alive`, `late`, `lost`, `stopped`); empty for all. */
  @property({ attribute: 'state-filter' }) stateFilter: UnitState | '' = '';

  /** Shows only units of this kind; empty for all. */
  @property() kind = '';

  /** Shows only units of this account (lower case, e.g. `bridge`); empty for all. */
  @property() account = '';

  /**
   * The column the units are sorted by: `unit` (name), `state` (the worst first: lost, failing,
   * late, degraded, alive, stopped), `why`, `beat` (the age of the last heartbeat), `version`,
   * `host`, `uptime`, `restarts`, `checks` (the worst check first) or `load` (CPU). Equal values
   * are ordered by name; unknown values come last. Clicking a header sets it.
   */
  @property() sort: UnitsSortKey = 'state';

  /** The direction of `sort`: `ascending` (default; for `state` the worst first) or `descending`. Clicking the sorted header again flips it. */
  @property({ attribute: 'sort-direction' }) sortDirection: SortDirection = 'ascending';

  /**
   * From this many listed units on, only the rows in view (and a few around them) are rendered;
   * the table scrolls down inside the card and says how many rows there are (`aria-rowcount`).
   */
  @property({ type: Number, attribute: 'virtual-rows' }) virtualRows = VIRTUAL_FROM;

  /** The open unit (`<account>.<unit>`), if any: its details and timeline show below the table. */
  @property() expanded?: string;

  /** How many state changes a unit's timeline lists (newest first). */
  @property({ type: Number, attribute: 'timeline-limit' }) timelineLimit = 50;

  /** The units as they are now (copies), by registry key. */
  get units(): UnitRecord[] {
    return [...this.#units.values()].map((u) => ({ ...u }));
  }

  /** The Controller's record (liveness method, its version), once seen. */
  get controllerRecord(): ControllerRecord | undefined {
    return this.#controller;
  }

  #units = new Map<string, UnitRecord>();
  #controller?: ControllerRecord;
  #initialized = false;
  #error?: NunectError;
  #problem?: NunectError;
  #client?: NunectClient;
  #watch?: UnitsWatch;
  #generation = 0;
  #timeline?: Timeline;
  #tick?: ReturnType<typeof setInterval>;
  #tickEvery = 0;
  /** Counts every change of `#units` (the memos below are valid for one value). */
  #version = 0;
  /** Goes up when a unit is added or removed (not on a heartbeat): the order by name is kept until then. */
  #members = 0;
  #orderMemo?: { members: number; order: NameOrder };
  #summaryMemo?: Summary;
  #listedMemo?: Listed;
  /** Whether the last render windowed the rows. */
  #windowed = false;
  /** After the panel closes from inside it, the focus goes back to this unit's row. */
  #refocus?: string;

  /**
   * Registry changes are applied to `#units` at once (the state is always exact); this only
   * coalesces the renders they ask for: at most one per animation frame, 100 ms apart, and 250 ms
   * apart for a long (windowed) list. At 1,000 units beating once a second, 4 redraws a second
   * instead of 10 took the main thread from 45–56 % to 32–37 % busy (bench:units); a heartbeat
   * age is shown in whole seconds anyway.
   */
  readonly #changes = new FrameBatchController<string>(this, () => this.requestUpdate(), { minInterval: () => (this.#windowed ? 250 : 100), fallback: 250 });

  /**
   * The rows in view of a long list (`virtualRows` rows or more). Every visible row changes with
   * each heartbeat, so each extra row is laid out again on every redraw: 4 rows of overscan (not
   * 10) cut the longest frame's CPU from 22–28 to 17–18 ms at 1,000 units (bench:units).
   */
  readonly #virtual = new VirtualWindowController(this, { overscan: 4, rowHeight: 33, viewportHeight: 600 });

  readonly #rows = new RovingFocusController(this, {
    items: 'tr.unit',
    activate: (row) => this.#toggle(row.dataset.key),
    expand: (row, open) => (open ? (this.expanded = row.dataset.key) : (this.expanded = undefined)),
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.renderRoot.removeEventListener('keydown', this.#onKeydown as EventListener);
    this.#close();
    clearInterval(this.#tick);
    this.#tick = undefined;
    this.#tickEvery = 0;
  }

  /** Opens the registry again (after an error, or to start over). */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') return super.retry();
    this.#close();
    this.requestUpdate();
  }

  #close(): void {
    this.#generation++;
    this.#watch?.stop();
    this.#watch = undefined;
    this.#client = undefined;
    this.#units = new Map();
    this.#version++;
    this.#members++;
    this.#changes.clear();
    this.#controller = undefined;
    this.#initialized = false;
    this.#error = undefined;
    this.#problem = undefined;
    this.#timeline = undefined;
  }

  /** Opens the watch on the current client (once per client). */
  #sync(): void {
    const client = this.hubs.hub.client;
    if (!this.isConnected || client === this.#client) return;
    this.#close();
    if (!client || client.isClosed) return;
    this.#client = client;
    const generation = this.#generation;
    const live = () => generation === this.#generation;
    const update = () => live() && this.requestUpdate();
    const changed = (key: string) => {
      this.#version++;
      this.#changes.push(key);
    };
    const factory = this.source ?? NunectUnits.defaultSource;
    let source;
    try {
      source = factory(client);
    } catch (err) {
      this.#error = opsError(err, `the unit registry (KV ${OPS.registry})`);
      return;
    }
    source
      .watch({
        put: (key, record) => {
          if (!live()) return;
          const before = this.#units.get(key);
          if (!before || before.unit !== record.unit || before.account !== record.account) this.#members++;
          this.#units.set(key, record);
          changed(key);
        },
        remove: (key) => {
          if (!live()) return;
          if (this.#units.delete(key)) {
            this.#members++;
            changed(key);
          }
        },
        controller: (record) => {
          if (!live()) return;
          this.#controller = record;
          update();
        },
        initialized: () => {
          if (!live()) return;
          this.#initialized = true;
          update();
        },
        problem: (error) => {
          if (!live() || error === this.#problem) return;
          this.#problem = error;
          update();
        },
      })
      .then(
        (watch) => {
          if (live()) this.#watch = watch;
          else watch.stop();
        },
        (err: unknown) => {
          if (!live()) return;
          this.#error = opsError(err, `the unit registry (KV ${OPS.registry})`);
          update();
        },
      );
  }

  #loadTimeline(key: string, record: UnitRecord): void {
    const t: Timeline = { key, since: record.since };
    this.#timeline = t;
    const client = this.#client;
    if (!client) return;
    const factory = this.source ?? NunectUnits.defaultSource;
    factory(client)
      .timeline(record.account, record.unit, Math.max(1, Math.floor(this.timelineLimit) || 1))
      .then(
        (events) => (t.events = events),
        (err: unknown) => (t.error = opsError(err, `the unit events (stream ${OPS.events})`)),
      )
      .finally(() => this.#timeline === t && this.requestUpdate());
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.hasUpdated) this.#close();
    this.#sync();
    const every = Math.max(100, Number(this.interval) || 1_000);
    if (this.isConnected && every !== this.#tickEvery) {
      clearInterval(this.#tick);
      this.#tickEvery = every;
      this.#tick = setInterval(() => this.#units.size && this.requestUpdate(), every);
    }
    const key = this.expanded;
    const record = key ? this.#units.get(key) : undefined;
    if (key && record && (this.#timeline?.key !== key || this.#timeline.since !== record.since)) this.#loadTimeline(key, record);
    // This render shows every change so far: the batch waiting for a frame has nothing left to add.
    this.#changes.clear();
    super.willUpdate(changed);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Rows are as tall as the font makes them: measure one of the window.
    if (this.#windowed) this.#virtual.measureRow(this.renderRoot.querySelector('tr.unit'));
    const key = this.#refocus;
    if (key === undefined) return;
    this.#refocus = undefined;
    const row = [...this.#rows.items()].find((r) => r.dataset.key === key) ?? this.#rows.items()[0];
    if (row) this.#rows.focus(row);
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, this.#initialized, this.#error ?? this.#problem);
  }

  /** The sort in effect: `sort` and `sortDirection`, or the default for values it does not know. */
  get effectiveSort(): TableSort {
    const key = (UNITS_SORT_KEYS as readonly string[]).includes(this.sort) ? this.sort : 'state';
    return { key, direction: this.sortDirection === 'descending' ? 'descending' : 'ascending' };
  }

  /** A header's sort button: its column ascending, or the other way round when it is already sorted. */
  #onSort = (key: string): void => {
    const current = this.effectiveSort;
    this.sortDirection = current.key === key && current.direction === 'ascending' ? 'descending' : 'ascending';
    this.sort = key as UnitsSortKey;
  };

  #toggle(key: string | undefined): void {
    this.expanded = key && this.expanded !== key ? key : undefined;
  }

  /** The figures, the toolbar's options and the usual version of each kind: one pass over the units per change. */
  #summary(): Summary {
    const memo = this.#summaryMemo;
    if (memo?.version === this.#version) return memo;
    const counts: Record<UnitState, number> = { alive: 0, late: 0, lost: 0, stopped: 0 };
    const kinds = new Set<string>();
    const accounts = new Set<string>();
    const versions = new Map<string, Map<string, number>>();
    for (const u of this.#units.values()) {
      if (u.state in counts) counts[u.state]++;
      if (u.kind) kinds.add(u.kind);
      accounts.add(u.account);
      if (!u.kind || !u.version) continue;
      const m = versions.get(u.kind) ?? new Map<string, number>();
      m.set(u.version, (m.get(u.version) ?? 0) + 1);
      versions.set(u.kind, m);
    }
    // The most common version of each kind (no entry when a kind has a single version or a tie).
    const usual = new Map<string, string>();
    for (const [kind, m] of versions) {
      const sorted = [...m].sort((x, y) => y[1] - x[1]);
      if (sorted.length > 1 && sorted[0]![1] > sorted[1]![1]) usual.set(kind, sorted[0]![0]);
    }
    return (this.#summaryMemo = { version: this.#version, all: this.#units.size, counts, kinds: [...kinds].sort(), accounts: [...accounts].sort(), usual });
  }

  /** The listed rows: filtered and sorted once per change of the data, the sort or a filter. */
  #listed(sort: TableSort): Listed {
    const key = `${sort.key} ${sort.direction}`;
    const filters = `${this.stateFilter}\n${this.kind}\n${this.account}`;
    const memo = this.#listedMemo;
    if (memo?.version === this.#version && memo.sort === key && memo.filters === filters) return memo;
    const listed: Row[] = [];
    for (const [k, u] of this.#units)
      if ((!this.stateFilter || u.state === this.stateFilter) && (!this.kind || u.kind === this.kind) && (!this.account || u.account === this.account))
        listed.push({ key: k, u });
    if (this.#orderMemo?.members !== this.#members) {
      this.#orderMemo = { members: this.#members, order: nameOrder([...this.#units].map(([k, u]) => ({ key: k, u }))) };
    }
    const rows = sortUnits(listed, sort, this.#orderMemo.order);
    return (this.#listedMemo = { version: this.#version, sort: key, filters, rows, index: new Map(rows.map((r, i) => [r.key, i])) });
  }

  #columns(now: number, usual: Map<string, string>): TableColumn<Row>[] {
    return [
      {
        id: 'unit',
        sortKey: 'unit',
        label: 'Unit',
        rowHeader: true,
        className: 'name',
        cell: ({ u }) => html`${u.unit} <span class="muted">${u.account}${u.kind ? ` · ${u.kind}` : ''}</span>`,
      },
      {
        id: 'state',
        sortKey: 'state',
        label: 'State',
        cell: ({ u }) =>
          html`<span class="badge" part="state" data-state=${u.state}>${u.state}</span>${
              u.status !== 'ok' && u.status !== 'stopping' ? html` <span class="status-word" data-status=${u.status}>${u.status}</span>` : nothing
            }`,
      },
      {
        id: 'why',
        sortKey: 'why',
        label: 'Why',
        cellTitle: ({ u }) => u.reason,
        cell: ({ u }) => html`${u.reason ?? ''} <span class="muted">(for ${formatDuration(Math.max(0, now - u.since))})</span>`,
      },
      { id: 'beat', sortKey: 'beat', label: 'Last heartbeat', numeric: true, cell: ({ u }) => ago(u.lastBeat === undefined ? undefined : now - u.lastBeat) },
      {
        id: 'version',
        sortKey: 'version',
        label: 'Version',
        cell: ({ u }) => {
          const expected = u.kind ? usual.get(u.kind) : undefined;
          if (!u.version) return MISSING;
          return expected && expected !== u.version
            ? html`<span class="skew" title=${`differs from ${expected}, the version of most ${u.kind} units`}>${u.version}</span>`
            : u.version;
        },
      },
      { id: 'host', sortKey: 'host', label: 'Host', cell: ({ u }) => u.host ?? MISSING },
      {
        id: 'uptime',
        sortKey: 'uptime',
        label: 'Uptime',
        numeric: true,
        cell: ({ u }) => {
          const started = u.started ? Date.parse(u.started) : NaN;
          return (u.state === 'alive' || u.state === 'late') && Number.isFinite(started) ? formatDuration(Math.max(0, now - started)) : MISSING;
        },
      },
      { id: 'restarts', sortKey: 'restarts', label: 'Restarts', numeric: true, cell: ({ u }) => formatCount(u.restarts) },
      {
        id: 'checks',
        sortKey: 'checks',
        title: 'Sorts by the worst check (failing, degraded, ok)',
        label: 'Checks',
        cell: ({ u }) =>
          u.checks.length
            ? html`<ul class="checks">
                ${u.checks.map((c) => html`<li data-status=${c.status}>${c.name}: ${c.status}${c.message ? ` (${c.message})` : ''}</li>`)}
              </ul>`
            : html`<span class="muted">none</span>`,
      },
      {
        id: 'load',
        sortKey: 'load',
        title: 'CPU, RSS and event loop delay; sorts by CPU',
        label: 'Load',
        cell: ({ u }) => {
          const l = u.load;
          if (!l) return MISSING;
          return [
            l.cpu !== undefined ? `CPU ${formatNumber(l.cpu, 1)} %` : '',
            l.rss !== undefined ? `RSS ${formatBytes(l.rss)}` : '',
            l.eventLoopDelay !== undefined ? `loop ${formatDuration(l.eventLoopDelay)}` : '',
          ]
            .filter(Boolean)
            .join(' · ');
        },
      },
    ];
  }

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.#error ?? this.#problem, 'units');
    if (state !== 'ready' && state !== 'stale') return status;
    const now = this.now();
    const sort = this.effectiveSort;
    const summary = this.#summary();
    const { rows, index } = this.#listed(sort);
    const columns = this.#columns(now, summary.usual);
    const { counts } = summary;
    const virtual = rows.length >= this.virtualRows;
    this.#windowed = virtual;
    const options = { key: (r: Row) => r.key, row: (r: Row, cells: TemplateResult[]) => this.#renderRow(r, cells, virtual ? index.get(r.key) : undefined) };
    const open = this.expanded ? this.#units.get(this.expanded) : undefined;
    return html`${status}
      <dl>
        ${tile('Units', formatCount(summary.all))} ${tile('Alive', formatCount(counts.alive))}
        ${tile('Late', formatCount(counts.late), undefined, { warn: counts.late > 0 })}
        ${tile('Lost', formatCount(counts.lost), undefined, { warn: counts.lost > 0 })} ${tile('Stopped', formatCount(counts.stopped))}
      </dl>
      ${this.#renderLiveness()} ${this.#renderToolbar(summary)}
      ${renderTable({
        columns,
        rows,
        label: 'Units',
        role: 'treegrid',
        region: false,
        sort,
        onSort: this.#onSort,
        virtual,
        scrollerRef: this.#virtual.scroller,
        empty: summary.all ? 'No units match the filters.' : 'No units registered yet: the Controller lists a unit at its first heartbeat.',
        // Only the rows in view are built (and their "ago" cells counted again on a clock tick).
        body: virtual ? renderWindow(columns, rows, this.#virtual.window(rows.length), options) : renderRows(columns, rows, options),
      })}
      ${open ? this.#renderDetail({ key: this.expanded!, u: open }, now) : nothing}`;
  }

  #renderLiveness() {
    const c = this.#controller;
    const text = !c
      ? 'The Controller has not written its record (_controller) yet.'
      : c.liveness === 'markers'
        ? `Loss detection: server-pushed markers (per-message TTL, nats-server ${c.serverVersion ?? '2.11+'}).`
        : `Loss detection: the Controller's timer (nats-server ${c.serverVersion ?? 'before 2.11'} has no per-message TTL).`;
    const rule = c ? ` Late after ${formatCount(c.lateAfterBeats)} missed heartbeats, lost after ${formatCount(c.lostAfterBeats)}.` : '';
    return html`<p class="liveness muted" part="liveness">${text}${rule}</p>`;
  }

  #renderToolbar({ kinds, accounts }: Summary) {
    const select = (label: string, value: string, options: readonly string[], set: (v: string) => void, allLabel: string) =>
      html`<label class="field"
        >${label}
        <select @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!value}>${allLabel}</option>
          ${(value && !options.includes(value) ? [value, ...options] : options).map((o) => html`<option value=${o} ?selected=${o === value}>${o}</option>`)}
        </select></label
      >`;
    return html`<div class="toolbar" part="toolbar">
      ${select('State', this.stateFilter, STATES, (v) => (this.stateFilter = v as UnitState | ''), 'All states')}
      ${select('Kind', this.kind, kinds, (v) => (this.kind = v), 'All kinds')}
      ${select('Account', this.account, accounts, (v) => (this.account = v), 'All accounts')}
    </div>`;
  }

  /** A unit's row: one line, whatever the unit (its details open in the panel below the table). */
  #renderRow(r: Row, cells: TemplateResult[], at: number | undefined) {
    const open = this.expanded === r.key;
    return html`<tr
      class="unit"
      part="row"
      data-key=${r.key}
      data-state=${r.u.state}
      aria-rowindex=${at === undefined ? nothing : at + 2}
      aria-level="1"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls=${open ? DETAIL_ID : nothing}
    >
      ${cells}
    </tr>`;
  }

  /** Closes the open unit from its panel: the focus goes back to its row (or the first row). */
  #closeDetail = (): void => {
    this.#refocus = this.expanded;
    this.expanded = undefined;
  };

  #onDetailKeydown = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.#closeDetail();
  };

  #onKeydown = (e: KeyboardEvent): void => {
    // Escape on the open unit's row closes it.
    const row = e.target as HTMLElement;
    if (e.key === 'Escape' && row.matches?.('tr.unit') && row.dataset.key === this.expanded) {
      e.preventDefault();
      this.expanded = undefined;
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.renderRoot.addEventListener('keydown', this.#onKeydown as EventListener);
    this.requestUpdate();
  }

  #renderDetail({ key, u }: Row, now: number) {
    const t = this.#timeline?.key === key ? this.#timeline : undefined;
    const timeline = !t
      ? html`<p class="muted">Loading the timeline…</p>`
      : t.error
        ? html`<p class="muted" role="alert">${t.error.message}</p>`
        : !t.events
          ? html`<p class="muted">Loading the timeline…</p>`
          : t.events.length === 0
            ? html`<p class="muted">No state changes recorded.</p>`
            : html`<ol class="timeline" part="timeline" aria-label=${`State changes of ${u.unit}, newest first`}>
                ${t.events.map(
                  (e) =>
                    html`<li>
                      <span class="mono">${formatTime(e.time, now)}</span> ${e.from ? `${e.from} → ` : ''}<strong>${e.to}</strong>${
                        e.status && e.status !== 'ok' ? ` (${e.status})` : ''
                      }:
                      ${e.reason}
                    </li>`,
                )}
              </ol>`;
    return html`<section class="detail" part="detail" id=${DETAIL_ID} aria-labelledby="unit-detail-title" @keydown=${this.#onDetailKeydown}>
      <header class="detail-head">
        <h3 id="unit-detail-title" class="detail-title">
          ${u.unit} <span class="muted">${u.account}${u.kind ? ` · ${u.kind}` : ''}</span>
          <span class="badge" data-state=${u.state}>${u.state}</span>
        </h3>
        <button class="close" part="close" aria-label=${`Close ${u.unit} (Escape)`} @click=${this.#closeDetail}>×</button>
      </header>
      <dl class="detail-grid">
        <dt>Why</dt>
        <dd>${u.reason ?? MISSING}</dd>
        <dt>Status</dt>
        <dd>${u.status}</dd>
        <dt>State since</dt>
        <dd>${formatTime(u.since, now)}</dd>
        <dt>First seen</dt>
        <dd>${formatTime(u.firstSeen, now)}</dd>
        <dt>Running since</dt>
        <dd>${u.started ? formatTime(u.started, now) : MISSING}</dd>
        <dt>PID</dt>
        <dd>${u.pid ?? MISSING}</dd>
        <dt>Heartbeat</dt>
        <dd>every ${formatDuration(u.interval)} · #${formatSequence(u.seq)} · RTT ${u.rtt !== undefined ? formatDuration(u.rtt) : MISSING}</dd>
        <dt>Flaps</dt>
        <dd>${formatCount(u.flaps)}</dd>
        <dt>Checks</dt>
        <dd>
          ${
            u.checks.length
              ? html`<ul class="check-list">
                  ${u.checks.map((c) => html`<li data-status=${c.status}>${c.name}: ${c.status}${c.message ? ` (${c.message})` : ''}</li>`)}
                </ul>`
              : 'none'
          }
        </dd>
      </dl>
      <strong>Timeline</strong>
      ${timeline}
    </section>`;
  }
}
