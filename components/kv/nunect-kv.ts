import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { userRights, type NunectClient, type NunectError, type UserRights } from '../../client/index.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { FrameBatchController } from '../../src/controllers/frame-batch-controller.js';
import { formatBytes, formatCount, formatDuration, formatSequence, formatTime, MISSING } from '../../src/monitor/format.js';
import { pager, pageRange } from '../../src/parts/pager.js';
import { decodePayload, renderPayload, type PayloadView } from '../../src/parts/payload.js';
import { renderTable, type TableColumn } from '../../src/parts/table.js';
import { kvActionBlocked, KV_ACTION_LABELS, runKvAction, type KvAction, type KvActionResult } from './kv-actions.js';
import { filterProblem, keyProblem, kvError, natsKvSource, type KvBucketInfo, type KvEntryInfo, type KvSourceFactory, type KvWatch } from './kv-source.js';
import { kvStyles } from './nunect-kv.styles.js';

export type { KvBucketInfo, KvEntryInfo, KvOperation, KvSource, KvSourceFactory, KvWatch, KvWatchHandlers } from './kv-source.js';
export type { KvAction, KvActionResult } from './kv-actions.js';

/** A change seen live by the watch (after the keys were loaded). */
export interface KvChange {
  key: string;
  revision: number;
  operation: KvEntryInfo['operation'];
  /** When it was written (ms since the epoch). */
  created: number;
}

/** What the watch delivers, in order, tagged with the watch it came from. */
type WatchItem = { generation: number; entry: KvEntryInfo } | { generation: number; initialized: true };

interface Detail {
  key: string;
  /** The revision the detail was read for (0: its latest). */
  revision: number;
  entry?: KvEntryInfo | null;
  history?: KvEntryInfo[];
  error?: NunectError;
}

const OPERATION_LABELS: Record<KvEntryInfo['operation'], string> = { PUT: 'put', DEL: 'deleted', PURGE: 'purged' };

/**
 * The key-value buckets (JetStream KV) of the logged-in user's account: every bucket with its
 * values, bytes, history depth, TTL, storage and replicas; pick one for its keys (filtered with
 * wildcards, e.g. `config.>`; paged; counted), watched live — every put, delete and purge appears as
 * it happens, marked new, without reloading (one watch, released on disconnect, surviving a
 * reconnect). Open a key for its value (the shared payload view: JSON, text, hex, base64), its
 * revision, time and operation, and its history (every kept revision, deletes and purges marked).
 * Put a value (a small editor) and delete a key (confirmed by typing the key), each audited on
 * `ops.audit.kv-put` / `ops.audit.kv-delete`, offered only to a user with the right to publish to
 * `$KV.<bucket>.<key>` (on nats-server 2.9 the rights are unknown: offered, and the server's refusal
 * is shown). Works for any account's user; without JetStream, a bucket or a connection it says so
 * and keeps the last data.
 *
 * @tag nunect-kv
 * @summary JetStream key-value buckets: keys, values, history, live changes, put and delete.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart buckets - The section listing the buckets.
 * @csspart table - A table (buckets, keys, history).
 * @csspart bucket - The section of the chosen bucket.
 * @csspart filter - The key filter form.
 * @csspart count - The line with the count of matching keys and the watch.
 * @csspart pager - The key pager.
 * @csspart new - The "new" mark of a key changed since it was loaded.
 * @csspart changes - The list of live changes.
 * @csspart entry - The chosen key: value, revision, time, operation, history.
 * @csspart payload - The value (the shared payload part).
 * @csspart payload-body - The value's text.
 * @csspart history - The history table's section.
 * @csspart editor - The put form (or why there is none).
 * @csspart result - The outcome of the last put or delete.
 * @csspart dialog - The delete confirmation dialog.
 * @csspart empty - An empty table's row.
 *
 * @cssprop --nunect-kv-gap - Space between the parts.
 * @cssprop --nunect-kv-new-color - Colour of the "new" mark of a changed key.
 * @cssprop --nunect-kv-deleted-color - Colour of a delete or purge in the history and the changes.
 * @cssprop --nunect-kv-selected-background - Background of the chosen bucket and key.
 * @cssprop --nunect-kv-header-background - Background of the sticky table header.
 * @cssprop --nunect-kv-sorted-color - Colour of a sorted column's header.
 * @cssprop --nunect-kv-name-background - Background of the sticky name column.
 * @cssprop --nunect-kv-scroll-shadow - The shadow at a table's right edge while it scrolls.
 * @cssprop --nunect-kv-editor-height - Height of the value editor (default 6em).
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectKv extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...kvStyles];

  /** The source of every `<nunect-kv>` without a `source` of its own: `@nats-io/kv` on the connection. */
  static defaultSource: KvSourceFactory = natsKvSource;

  /** Where the buckets come from (default {@link NunectKv.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: KvSourceFactory;

  /** The chosen bucket (its keys are listed and watched); empty: none chosen. */
  @property({ reflect: true }) bucket = '';

  /** The key filter: a key whose parts may be `*` (one part) and whose last may be `>` (the rest), e.g. `config.>`. */
  @property() filter = '>';

  /** The chosen key of the bucket (its value and history are shown); empty: none. */
  @property() key = '';

  /** Keys per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /** Milliseconds between refreshes of the bucket list and status (the keys are pushed live: not polled). */
  @property({ type: Number }) interval = 5_000;

  /** How many live changes the changes list keeps (newest first). */
  @property({ type: Number, attribute: 'changes-limit' }) changesLimit = 20;

  /** The buckets as last read (copies). */
  get buckets(): KvBucketInfo[] {
    return (this.#buckets ?? []).map((b) => ({ ...b }));
  }

  /** The keys of the chosen bucket matching the filter (not deleted), sorted. */
  get keys(): string[] {
    return [...this.#sorted()];
  }

  /** The live changes seen since the keys were loaded, newest first. */
  get changes(): KvChange[] {
    return this.#changes.map((c) => ({ ...c }));
  }

  /** The outcome of the last put or delete. */
  get lastResult(): KvActionResult | undefined {
    return this.#result;
  }

  #client?: NunectClient;
  #buckets?: KvBucketInfo[];
  #listError?: NunectError;
  #bucketError?: NunectError;
  #timer?: ReturnType<typeof setTimeout>;
  #refreshing = false;
  #generation = 0;
  #lastHub = '';

  // The watch of the chosen bucket and filter.
  #watch?: KvWatch;
  #watchKey = '';
  #watchGeneration = 0;
  #opening = false;
  #watchError?: NunectError;
  #entries = new Map<string, KvEntryInfo>();
  #loading = new Map<string, KvEntryInfo>();
  #initialized = false;
  #everInitialized = false;
  #sortedCache?: string[];
  #fresh = new Set<string>();
  #changes: KvChange[] = [];
  #first = 0;

  #detail?: Detail;
  #view: PayloadView = 'auto';
  #expanded = false;

  // Put and delete.
  #editKey = '';
  #editValue = '';
  #running = false;
  #result?: KvActionResult;
  #confirming?: { bucket: string; key: string };
  #confirmText = '';
  #opener?: HTMLElement;

  readonly #batches = new FrameBatchController<WatchItem>(this, (batch) => this.#take(batch), { minInterval: 50, fallback: 200 });

  readonly #rights = new Task(this, {
    args: () => [this.hubs.hub.client, this.hubs.status.state === 'connected'] as [NunectClient | undefined, boolean],
    task: async ([client, connected]): Promise<UserRights | undefined> => (client && connected ? userRights(client) : undefined),
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close();
  }

  /** Reads the buckets again and reopens the watch (after an error, or to start over). */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') return super.retry();
    this.#listError = undefined;
    this.#bucketError = undefined;
    this.#closeWatch();
    void this.#refresh();
  }

  /** Forgets the "new" marks and the list of live changes. */
  markAllSeen(): void {
    this.#fresh.clear();
    this.#changes = [];
    this.requestUpdate();
  }

  #close(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#refreshing = false;
    this.#client = undefined;
    this.#buckets = undefined;
    this.#listError = undefined;
    this.#bucketError = undefined;
    this.#closeWatch();
    this.#detail = undefined;
    this.#result = undefined;
  }

  #closeWatch(): void {
    this.#watchGeneration++;
    this.#watch?.stop();
    this.#watch = undefined;
    this.#watchKey = '';
    this.#opening = false;
    this.#watchError = undefined;
    this.#entries = new Map();
    this.#loading = new Map();
    this.#initialized = false;
    this.#everInitialized = false;
    this.#sortedCache = undefined;
    this.#fresh = new Set();
    this.#changes = [];
    this.#batches.clear();
  }

  #sourceOf(client: NunectClient) {
    return (this.source ?? NunectKv.defaultSource)(client);
  }

  #sourceCache?: { client: NunectClient; factory: KvSourceFactory; source: ReturnType<KvSourceFactory> };

  /** One source per client and factory (it keeps the buckets it opened). */
  #src(): ReturnType<KvSourceFactory> | undefined {
    const client = this.#client;
    if (!client) return undefined;
    const factory = this.source ?? NunectKv.defaultSource;
    const c = this.#sourceCache;
    if (c && c.client === client && c.factory === factory) return c.source;
    const source = this.#sourceOf(client);
    this.#sourceCache = { client, factory, source };
    return source;
  }

  /** The bucket list and the chosen bucket's status; then the next refresh is scheduled. */
  async #refresh(): Promise<void> {
    const generation = this.#generation;
    const source = this.#src();
    if (!source || this.#refreshing) return;
    clearTimeout(this.#timer);
    this.#refreshing = true;
    try {
      if (this.hubs.status.state === 'connected') {
        try {
          this.#buckets = await source.buckets();
          if (generation !== this.#generation) return;
          this.#listError = undefined;
        } catch (err) {
          if (generation !== this.#generation) return;
          this.#listError = kvError(err, 'list the key-value buckets');
        }
        const bucket = this.bucket;
        if (bucket && !this.#listError) {
          try {
            const info = await source.bucket(bucket);
            if (generation !== this.#generation) return;
            this.#bucketError = undefined;
            if (this.#buckets) this.#buckets = this.#buckets.map((b) => (b.bucket === info.bucket ? info : b));
            this.#ensureWatch();
          } catch (err) {
            if (generation !== this.#generation) return;
            if (bucket === this.bucket) this.#bucketError = kvError(err, `read bucket ${bucket}`, bucket);
          }
        }
        this.requestUpdate();
      }
    } finally {
      if (generation === this.#generation) {
        this.#refreshing = false;
        if (this.isConnected) this.#timer = setTimeout(() => void this.#refresh(), Math.max(250, Number(this.interval) || 5_000));
      }
    }
  }

  /** Opens the watch of the chosen bucket and filter when there is none (also again after it ended). */
  #ensureWatch(): void {
    const source = this.#src();
    const bucket = this.bucket;
    const filter = this.filter || '>';
    if (!source || !bucket || filterProblem(filter) || this.#watch || this.#opening || this.hubs.status.state !== 'connected') return;
    const generation = ++this.#watchGeneration;
    this.#watchKey = `${bucket}\n${filter}`;
    this.#opening = true;
    this.#loading = new Map();
    this.#initialized = false;
    const live = () => generation === this.#watchGeneration;
    source
      .watch(bucket, filter, {
        entry: (entry) => live() && this.#batches.push({ generation, entry }),
        initialized: () => live() && this.#batches.push({ generation, initialized: true }),
        problem: (error, ended) => {
          if (!live() || (!ended && error === this.#watchError)) return;
          this.#watchError = error;
          if (ended) {
            // Opened again by the next refresh; the keys shown stay until the new watch has loaded.
            this.#watch?.stop();
            this.#watch = undefined;
            this.#opening = false;
            this.#watchGeneration++;
          }
          this.requestUpdate();
        },
      })
      .then(
        (watch) => {
          if (!live()) return watch.stop();
          this.#watch = watch;
          this.#opening = false;
          this.#watchError = undefined;
          this.requestUpdate();
        },
        (err: unknown) => {
          if (!live()) return;
          this.#opening = false;
          this.#watchError = kvError(err, `watch ${bucket}`, bucket);
          this.requestUpdate();
        },
      );
  }

  /** A batch of watch items: the initial keys (kept apart until complete), then the changes. */
  #take(batch: WatchItem[]): void {
    let changed = false;
    for (const item of batch) {
      // An item of a watch that was closed since.
      if (item.generation !== this.#watchGeneration) continue;
      changed = true;
      if ('initialized' in item) {
        if (!this.#initialized) {
          this.#initialized = true;
          this.#everInitialized = true;
          this.#entries = this.#loading;
          this.#loading = new Map();
          this.#sortedCache = undefined;
        }
        continue;
      }
      const e = item.entry;
      if (!this.#initialized) {
        if (e.operation === 'PUT') this.#loading.set(e.key, e);
        else this.#loading.delete(e.key);
        continue;
      }
      const had = this.#entries.has(e.key);
      if (e.operation === 'PUT') {
        this.#entries.set(e.key, e);
        if (!had) this.#sortedCache = undefined;
      } else if (had) {
        this.#entries.delete(e.key);
        this.#sortedCache = undefined;
      }
      this.#fresh.add(e.key);
      this.#changes.unshift({ key: e.key, revision: e.revision, operation: e.operation, created: e.created });
      const limit = Math.max(1, Math.floor(Number(this.changesLimit)) || 20);
      if (this.#changes.length > limit) this.#changes.length = limit;
      if (e.key === this.key && this.#detail?.key === e.key && e.revision > (this.#detail.entry?.revision ?? 0)) this.#loadDetail(e.key);
    }
    if (changed) this.requestUpdate();
  }

  #sorted(): string[] {
    this.#sortedCache ??= [...this.#entries.keys()].sort();
    return this.#sortedCache;
  }

  #loadDetail(key: string): void {
    const source = this.#src();
    const bucket = this.bucket;
    if (!source || !bucket) return;
    const d: Detail = { key, revision: this.#entries.get(key)?.revision ?? 0, entry: this.#detail?.key === key ? this.#detail.entry : undefined };
    if (this.#detail?.key === key) d.history = this.#detail.history;
    else {
      this.#view = 'auto';
      this.#expanded = false;
    }
    this.#detail = d;
    Promise.all([source.get(bucket, key), source.history(bucket, key)]).then(
      ([entry, history]) => {
        if (this.#detail !== d) return;
        d.entry = entry ?? null;
        d.history = history;
        d.error = undefined;
        this.requestUpdate();
      },
      (err: unknown) => {
        if (this.#detail !== d) return;
        d.error = kvError(err, `read ${key} in ${bucket}`, bucket);
        this.requestUpdate();
      },
    );
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.hasUpdated) this.#close();
    const client = this.hubs.hub.client;
    if (this.isConnected && client !== this.#client) {
      this.#close();
      if (client && !client.isClosed) {
        this.#client = client;
        void this.#refresh();
      }
    }
    const hub = this.hubs.status.state;
    if (hub !== this.#lastHub) {
      const back = hub === 'connected' && this.#lastHub !== '';
      this.#lastHub = hub;
      // Back after a lost connection: read at once (the watch itself survives in the library).
      if (back && this.#client) void this.#refresh();
    }
    if (changed.has('bucket') || changed.has('filter')) {
      const key = `${this.bucket}\n${this.filter || '>'}`;
      if (key !== this.#watchKey && (this.#watch || this.#opening || this.#watchKey)) this.#closeWatch();
      if (changed.has('bucket')) {
        this.#bucketError = undefined;
        // Another bucket (not the first choice): its key does not belong to it.
        if (changed.get('bucket')) {
          this.key = '';
          this.#result = undefined;
        }
      }
      this.#first = 0;
      if (this.#client && this.bucket) void this.#refresh();
    }
    if (this.key && this.bucket && this.#detail?.key !== this.key) this.#loadDetail(this.key);
    if (!this.key) this.#detail = undefined;
    if (changed.has('key') && this.key) this.#editKey = this.key;
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, this.#buckets !== undefined, this.#listError ?? this.#bucketError ?? this.#watchError);
  }

  // -----------------------------------------------------------------------------------------------
  // Acting

  get #who(): string | undefined {
    return this.#rights.value?.user;
  }

  #asking(): boolean {
    const s = this.#rights.status;
    return s === TaskStatus.PENDING || (s === TaskStatus.INITIAL && this.hubs.status.state === 'connected');
  }

  async #act(action: KvAction, bucket: string, key: string, value?: string): Promise<void> {
    const client = this.#client;
    const source = this.#src();
    if (!client || !source || this.#running) return;
    this.#running = true;
    this.#result = undefined;
    this.requestUpdate();
    const result = await runKvAction(client, source, action, { bucket, key, value }, this.#who, () => this.now());
    this.#running = false;
    if (client !== this.#client) return;
    this.#result = result;
    if (result.outcome === 'ok' && key === this.key) this.#loadDetail(key);
    this.requestUpdate();
  }

  #onPut = (e: Event) => {
    e.preventDefault();
    const key = this.#editKey.trim();
    if (keyProblem(key) || !this.bucket) return this.requestUpdate();
    void this.#act('kv-put', this.bucket, key, this.#editValue);
  };

  #onEditKey = (e: Event) => {
    this.#editKey = (e.target as HTMLInputElement).value;
    this.requestUpdate();
  };

  #onEditValue = (e: Event) => {
    this.#editValue = (e.target as HTMLTextAreaElement).value;
  };

  #onEditCurrent = () => {
    const d = this.#detail;
    if (!d?.entry?.value || d.entry.operation !== 'PUT') return;
    this.#editKey = d.key;
    this.#editValue = new TextDecoder().decode(d.entry.value);
    this.requestUpdate();
  };

  #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog.delete-dialog');
  }

  #onDelete = async (e: Event) => {
    if (!this.bucket || !this.key) return;
    this.#opener = e.currentTarget as HTMLElement;
    this.#confirming = { bucket: this.bucket, key: this.key };
    this.#confirmText = '';
    this.requestUpdate();
    await this.updateComplete;
    const dialog = this.#dialog();
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLInputElement>('input.confirm-key')?.focus();
  };

  #onConfirmText = (e: Event) => {
    this.#confirmText = (e.target as HTMLInputElement).value;
    this.requestUpdate();
  };

  #onCancel = () => this.#dialog()?.close();

  #onConfirm = (e: Event) => {
    e.preventDefault();
    const c = this.#confirming;
    if (!c || this.#confirmText !== c.key) return;
    this.#dialog()?.close();
    void this.#act('kv-delete', c.bucket, c.key);
  };

  #onDialogClose = () => {
    this.#confirming = undefined;
    this.#confirmText = '';
    const opener = this.#opener;
    this.#opener = undefined;
    this.requestUpdate();
    void this.updateComplete.then(() => opener?.isConnected && opener.focus());
  };

  // -----------------------------------------------------------------------------------------------
  // Choosing

  #onBucket = (e: Event) => {
    const name = (e.currentTarget as HTMLElement).dataset.bucket ?? '';
    this.bucket = this.bucket === name ? '' : name;
  };

  #onKey = (e: Event) => {
    const key = (e.currentTarget as HTMLElement).dataset.key ?? '';
    this.#fresh.delete(key);
    this.key = this.key === key ? '' : key;
    this.requestUpdate();
  };

  #filterDraft?: string;

  #onFilterInput = (e: Event) => {
    this.#filterDraft = (e.target as HTMLInputElement).value;
    this.requestUpdate();
  };

  #onFilter = (e: Event) => {
    e.preventDefault();
    const next = (this.#filterDraft ?? this.filter).trim() || '>';
    if (filterProblem(next)) return this.requestUpdate();
    this.#filterDraft = undefined;
    this.filter = next;
  };

  #onPrevious = () => {
    this.#first = Math.max(0, this.#first - this.#pageSize());
    this.requestUpdate();
  };

  #onNext = () => {
    this.#first += this.#pageSize();
    this.requestUpdate();
  };

  #onMarkSeen = () => this.markAllSeen();

  #onView = (view: PayloadView) => {
    this.#view = view;
    this.requestUpdate();
  };

  #onExpand = () => {
    this.#expanded = true;
    this.requestUpdate();
  };

  #pageSize(): number {
    return Math.max(1, Math.floor(Number(this.pageSize)) || 50);
  }

  // -----------------------------------------------------------------------------------------------
  // Rendering

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.#listError ?? this.#bucketError ?? this.#watchError, 'buckets');
    if (state !== 'ready' && state !== 'stale') return status;
    return html`${status} ${this.#renderBuckets()} ${this.bucket ? this.#renderBucket() : nothing} ${this.#renderDialog()}`;
  }

  #bucketColumns(): TableColumn<KvBucketInfo>[] {
    return [
      {
        id: 'bucket',
        label: 'Bucket',
        rowHeader: true,
        className: 'name',
        cell: (b) =>
          html`<button
              type="button"
              class="link bucket-button"
              data-bucket=${b.bucket}
              aria-pressed=${b.bucket === this.bucket ? 'true' : 'false'}
              @click=${this.#onBucket}
            >
              ${b.bucket}</button
            >${b.description ? html` <span class="muted">${b.description}</span>` : nothing}`,
      },
      { id: 'values', label: 'Values', numeric: true, title: 'Stored entries (every kept revision, deletes included)', cell: (b) => formatCount(b.values) },
      { id: 'bytes', label: 'Size', numeric: true, cell: (b) => formatBytes(b.bytes) },
      { id: 'history', label: 'History', numeric: true, title: 'Revisions kept per key', cell: (b) => formatCount(b.history) },
      { id: 'ttl', label: 'TTL', numeric: true, title: 'How long a value lives', cell: (b) => (b.ttl > 0 ? formatDuration(b.ttl) : 'none') },
      { id: 'storage', label: 'Storage', cell: (b) => b.storage },
      { id: 'replicas', label: 'Replicas', numeric: true, cell: (b) => formatCount(b.replicas) },
    ];
  }

  #renderBuckets(): TemplateResult {
    const buckets = this.#buckets ?? [];
    return html`<section class="buckets" part="buckets" aria-labelledby="buckets-title">
      <h2 id="buckets-title">Buckets <span class="muted">(${formatCount(buckets.length)})</span></h2>
      ${renderTable({
        columns: this.#bucketColumns(),
        rows: buckets,
        label: 'Key-value buckets',
        key: (b) => b.bucket,
        rowClass: (b) => (b.bucket === this.bucket ? 'selected' : undefined),
        empty: 'No key-value buckets in this account.',
      })}
    </section>`;
  }

  #keyColumns(now: number): TableColumn<string>[] {
    return [
      {
        id: 'key',
        label: 'Key',
        rowHeader: true,
        className: 'name',
        cell: (k) =>
          html`<button type="button" class="link key-button" data-key=${k} aria-pressed=${k === this.key ? 'true' : 'false'} @click=${this.#onKey}>${k}</button
            >${this.#fresh.has(k) ? html` <span class="new" part="new">new</span>` : nothing}`,
      },
      { id: 'revision', label: 'Revision', numeric: true, cell: (k) => formatCount(this.#entries.get(k)?.revision) },
      { id: 'size', label: 'Size', numeric: true, cell: (k) => formatBytes(this.#entries.get(k)?.length) },
      { id: 'created', label: 'Written', cell: (k) => formatTime(this.#entries.get(k)?.created, now) },
    ];
  }

  #renderBucket(): TemplateResult {
    const bucket = this.bucket;
    const info = this.#buckets?.find((b) => b.bucket === bucket);
    const now = this.now();
    const draft = this.#filterDraft ?? this.filter;
    const draftProblem = filterProblem(draft.trim() || '>');
    const applied = this.filter || '>';
    const appliedProblem = filterProblem(applied);
    const keys = this.#sorted();
    const size = this.#pageSize();
    if (this.#first >= keys.length && keys.length) this.#first = Math.floor((keys.length - 1) / size) * size;
    const page = keys.slice(this.#first, this.#first + size);
    const problem = this.#bucketError ?? this.#watchError;
    return html`<section class="bucket" part="bucket" aria-labelledby="bucket-title">
      <h2 id="bucket-title">Bucket ${bucket}</h2>
      ${problem ? html`<p class="problem" role="alert">${problem.message}</p>` : nothing}
      ${
        !info && this.#buckets && !this.#bucketError
          ? html`<p class="problem" role="alert">No such bucket: ${bucket} (not in this account's list).</p>`
          : nothing
      }
      <form class="filter" part="filter" @submit=${this.#onFilter}>
        <label
          >Key filter
          <input
            type="text"
            class="filter-input"
            .value=${draft}
            @input=${this.#onFilterInput}
            autocomplete="off"
            spellcheck="false"
            aria-describedby="filter-help"
            aria-invalid=${draftProblem ? 'true' : 'false'}
        /></label>
        <button type="submit" class="apply">Apply</button>
        <span id="filter-help" class="muted">${draftProblem ?? 'Wildcards: * one part, > the rest (e.g. config.>).'}</span>
      </form>
      ${appliedProblem ? html`<p class="problem" role="alert">${appliedProblem}</p>` : nothing}
      <p class="count" part="count" role="status">
        ${
          this.#everInitialized
            ? html`<strong>${formatCount(keys.length)}</strong> ${keys.length === 1 ? 'key' : 'keys'}${applied !== '>' ? ` match ${applied}` : ''}${
                  this.#watch ? html` · <span class="live">watching live</span>` : html` · <span class="muted">not watching</span>`
                }`
            : appliedProblem
              ? nothing
              : 'Loading the keys…'
        }
      </p>
      ${
        this.#everInitialized
          ? html`${renderTable({
              columns: this.#keyColumns(now),
              rows: page,
              label: `Keys of ${bucket}`,
              key: (k) => k,
              rowClass: (k) => [k === this.key ? 'selected' : '', this.#fresh.has(k) ? 'fresh' : ''].filter(Boolean).join(' ') || undefined,
              empty: applied === '>' ? 'This bucket has no keys.' : `No key matches ${applied}.`,
            })}
            ${
              keys.length > size
                ? pager({
                    label: 'Key pages',
                    first: this.#first,
                    shown: page.length,
                    total: keys.length,
                    status: pageRange(this.#first, page.length, keys.length),
                    onPrevious: this.#onPrevious,
                    onNext: this.#onNext,
                  })
                : nothing
            }`
          : nothing
      }
      ${this.#renderChanges(now)} ${this.key ? this.#renderEntry(now) : nothing} ${this.#renderEditor()}
    </section>`;
  }

  #renderChanges(now: number): TemplateResult | typeof nothing {
    if (!this.#changes.length) return nothing;
    return html`<section class="changes" part="changes" aria-labelledby="changes-title">
      <h3 id="changes-title">Live changes <span class="muted">(newest first)</span></h3>
      <button type="button" class="mark-seen" @click=${this.#onMarkSeen}>Mark all seen</button>
      <ol>
        ${this.#changes.map(
          (c) =>
            html`<li data-operation=${c.operation}>
              <span class="mono">${formatTime(c.created, now)}</span> <span class="op">${OPERATION_LABELS[c.operation]}</span>
              <span class="mono">${c.key}</span> <span class="muted">revision ${formatSequence(c.revision)}</span>
            </li>`,
        )}
      </ol>
    </section>`;
  }

  #historyColumns(now: number): TableColumn<KvEntryInfo>[] {
    return [
      { id: 'revision', label: 'Revision', numeric: true, rowHeader: true, cell: (e) => formatSequence(e.revision) },
      {
        id: 'operation',
        label: 'Operation',
        cell: (e) => html`<span class="op" data-operation=${e.operation}>${OPERATION_LABELS[e.operation]}</span>`,
      },
      { id: 'created', label: 'Written', cell: (e) => formatTime(e.created, now) },
      { id: 'size', label: 'Size', numeric: true, cell: (e) => (e.operation === 'PUT' ? formatBytes(e.length) : MISSING) },
      {
        id: 'value',
        label: 'Value',
        className: 'value-cell',
        cellTitle: (e) => (e.value && e.operation === 'PUT' ? preview(e.value, 500) : undefined),
        cell: (e) => (e.value && e.operation === 'PUT' ? html`<span class="mono">${preview(e.value, 80)}</span>` : MISSING),
      },
    ];
  }

  #renderEntry(now: number): TemplateResult {
    const d = this.#detail;
    const key = this.key;
    const entry = d?.entry;
    const blocked = this.#asking() ? 'Checking what this user may do…' : kvActionBlocked('kv-delete', this.bucket, key, this.#rights.value);
    const deletable = entry && entry.operation === 'PUT';
    return html`<section class="entry" part="entry" aria-labelledby="entry-title">
      <h3 id="entry-title">Key <span class="mono">${key}</span></h3>
      ${
        d?.error
          ? html`<p class="problem" role="alert">${d.error.message}</p>`
          : entry === undefined
            ? html`<p class="muted">Loading the value…</p>`
            : entry === null
              ? html`<p class="muted">No such key in ${this.bucket}.</p>`
              : html`<dl class="facts">
                    <dt>Revision</dt>
                    <dd>${formatSequence(entry.revision)}</dd>
                    <dt>Written</dt>
                    <dd>${formatTime(entry.created, now)}</dd>
                    <dt>Operation</dt>
                    <dd><span class="op" data-operation=${entry.operation}>${OPERATION_LABELS[entry.operation]}</span></dd>
                  </dl>
                  ${
                    entry.operation === 'PUT' && entry.value
                      ? renderPayload(entry.value, {
                          view: this.#view,
                          onView: this.#onView,
                          expanded: this.#expanded,
                          onExpand: this.#onExpand,
                          label: `View of the value of ${key}`,
                        })
                      : html`<p class="muted">This key was ${OPERATION_LABELS[entry.operation]}: it has no value now.</p>`
                  }`
      }
      ${
        deletable
          ? html`<div class="entry-actions">
              ${
                blocked
                  ? html`<p class="why muted">${blocked}</p>`
                  : html`<button type="button" class="delete" ?disabled=${this.#running || !!this.#confirming} @click=${this.#onDelete}>Delete ${key}…</button>`
              }
              <button type="button" class="edit" @click=${this.#onEditCurrent}>Edit this value</button>
            </div>`
          : nothing
      }
      ${
        d?.history
          ? html`<section class="history" part="history" aria-labelledby="history-title">
              <h4 id="history-title">History <span class="muted">(${formatCount(d.history.length)} kept, oldest first)</span></h4>
              ${renderTable({
                columns: this.#historyColumns(now),
                rows: d.history,
                label: `History of ${key}`,
                key: (e) => String(e.revision),
                rowClass: (e) => (e.operation === 'PUT' ? undefined : 'removed'),
                empty: 'No revision kept.',
              })}
            </section>`
          : nothing
      }
    </section>`;
  }

  #renderEditor(): TemplateResult {
    const bucket = this.bucket;
    const key = this.#editKey.trim();
    const rights = this.#rights.value;
    const blocked = this.#asking() ? 'Checking what this user may do…' : kvActionBlocked('kv-put', bucket, key || this.key || 'key', rights);
    const problem = key ? keyProblem(key) : undefined;
    const r = this.#result;
    const result = r
      ? html`<p class=${r.outcome === 'ok' ? 'ok' : 'failed'} role=${r.outcome === 'ok' ? 'status' : 'alert'}>
          ${
            r.outcome === 'ok'
              ? r.action === 'kv-put'
                ? `Put ${r.key} in ${r.bucket}: revision ${formatSequence(r.revision)}.`
                : `Deleted ${r.key} in ${r.bucket} (a delete marker: the history stays until it ages out).`
              : `${KV_ACTION_LABELS[r.action]} ${r.key} failed. ${r.message ?? ''}`
          }
          ${r.audited ? nothing : html`<span class="failed">The audit record could not be sent.</span>`}
        </p>`
      : nothing;
    return html`<section class="editor" part="editor" aria-labelledby="editor-title">
      <h3 id="editor-title">Put a value</h3>
      ${
        blocked
          ? html`<p class="why muted">${blocked}</p>`
          : html`<form class="put" @submit=${this.#onPut}>
              <label class="field"
                >Key
                <input
                  type="text"
                  class="put-key"
                  .value=${this.#editKey}
                  @input=${this.#onEditKey}
                  autocomplete="off"
                  spellcheck="false"
                  aria-invalid=${problem ? 'true' : 'false'}
              /></label>
              <label class="field value-field"
                >Value
                <textarea class="put-value" .value=${this.#editValue} @input=${this.#onEditValue} spellcheck="false"></textarea>
              </label>
              ${problem ? html`<p class="problem" role="alert">${problem}</p>` : nothing}
              <div class="put-actions">
                <button type="submit" class="put-button" ?disabled=${this.#running || !key || !!problem}>Put</button>
                ${
                  rights && !rights.known
                    ? html`<span class="muted">This server cannot tell this user's rights (${rights.reason ?? 'unknown'}): the server decides.</span>`
                    : nothing
                }
              </div>
              <p class="muted">Recorded in the audit trail (ops.audit.kv-put)${this.#who ? ` as ${this.#who}` : ''}.</p>
            </form>`
      }
      <div class="result" part="result">${this.#running ? html`<p role="status">Sending…</p>` : result}</div>
    </section>`;
  }

  #renderDialog(): TemplateResult {
    const c = this.#confirming;
    if (!c) return html`<dialog class="delete-dialog" part="dialog" aria-label="Confirm deleting a key" @close=${this.#onDialogClose}></dialog>`;
    const matches = this.#confirmText === c.key;
    return html`<dialog class="delete-dialog" part="dialog" aria-labelledby="delete-title" aria-describedby="delete-what" @close=${this.#onDialogClose}>
      <form @submit=${this.#onConfirm}>
        <h2 id="delete-title">Delete ${c.key} of ${c.bucket}?</h2>
        <p id="delete-what">
          A delete marker is written: the key disappears from the list, its kept history stays until it ages out. Watchers see the delete at once.
        </p>
        <label class="field"
          >Type the key to confirm
          <input type="text" class="confirm-key" .value=${this.#confirmText} @input=${this.#onConfirmText} autocomplete="off" spellcheck="false" />
        </label>
        <p class="muted">Recorded in the audit trail (ops.audit.kv-delete)${this.#who ? ` as ${this.#who}` : ''}.</p>
        <div class="dialog-actions">
          <button type="button" class="cancel" @click=${this.#onCancel}>Cancel</button>
          <button type="submit" class="confirm" ?disabled=${!matches}>Delete ${c.key}</button>
        </div>
      </form>
    </dialog>`;
  }
}

/** The first characters of a value on one line, for a table cell (the shared decoding; the whole value opens with the key). */
function preview(value: Uint8Array, max: number): string {
  const flat = decodePayload(value, 'auto', max * 4).text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
