import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { NunectClient, NunectError } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { formatCount, formatDuration, formatPercent, formatRate, formatTime, MISSING } from '../../src/monitor/format.js';
import { absentRow } from '../../src/parts/absent.js';
import { renderTable, type TableColumn } from '../../src/parts/table.js';
import { tile } from '../../src/parts/tiles.js';
import { absentInstance, ServicesModel, type EndpointView, type InstanceView, type ServiceGroup, type VersionGroup } from './services-model.js';
import { natsServicesSource, serviceSubject, type ServicesSourceFactory } from './services-source.js';
import { servicesStyles } from './nunect-services.styles.js';

export type { ServicesPoll, ServicesPollOptions, ServicesSource, ServicesSourceFactory, ServiceInstanceReport } from './services-source.js';
export type { EndpointView, InstanceView, ServiceGroup, VersionGroup } from './services-model.js';

interface EndpointRow {
  instance: InstanceView;
  endpoint: EndpointView;
}

const NS_PER_MS = 1e6;

/** Metadata as `key=value` pairs (text). */
const pairs = (m: Record<string, string> | undefined) =>
  m && Object.keys(m).length
    ? Object.entries(m)
        .map(([k, v]) => `${k}=${v}`)
        .join(' · ')
    : MISSING;

/**
 * The NATS services (the services protocol, "micro": what `@nats-io/services` and `nats micro`
 * run) of the logged-in user's account, polled every `interval` ms: `$SRV.INFO` and `$SRV.STATS` of
 * every instance at once (replies collected until a quiet period), then a ping of each instance
 * on `$SRV.PING.<name>.<id>` for its round trip. Instances are grouped by service name, then
 * version; two versions of one name answering at once are marked as version skew. Per instance:
 * id, version, when it started (a restart shows as a moved start, counted), metadata and ping
 * round trip; per endpoint: subject, queue group, requests, errors, the rates of requests and
 * errors between the last two polls, the error share of those requests, the average processing
 * time and the last error. An instance that stops answering stays, marked "not answering" with
 * when it was last seen, until "Forget" is pressed. A user who may not ask `$SRV.INFO` is told so
 * ("INFO not allowed"), which is not the empty "no services answer".
 *
 * @tag nunect-services
 * @summary NATS services: instances by name and version, endpoints, error rates, missing instances.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart tile - A figure tile (services, instances, not answering, errors per second).
 * @csspart poll - The line that says how often and when the services were last asked.
 * @csspart notice - A notice about the last poll (a verb not allowed, malformed replies).
 * @csspart empty - The "no services answer" message.
 * @csspart service - A service (all instances of one name).
 * @csspart skew - The version-skew marker of a service (and of its versions).
 * @csspart version - The instances of one version of a service.
 * @csspart table - A table (instances, endpoints).
 *
 * @cssprop --nunect-services-gap - Space between the services.
 * @cssprop --nunect-services-tile-width - Least width of a figure tile (default 120px).
 * @cssprop --nunect-services-tile-background - Background of a figure tile.
 * @cssprop --nunect-services-skew-background - Background of a skewed version.
 * @cssprop --nunect-services-error-color - Colour of error counts, rates and the last error.
 * @cssprop --nunect-services-header-background - Background of the sticky table header.
 * @cssprop --nunect-services-name-background - Background of the sticky first column.
 * @cssprop --nunect-services-scroll-shadow - The shadow at a table's right edge while it scrolls.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectServices extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...servicesStyles];

  /** The source of every `<nunect-services>` without a `source` of its own: the services protocol on the connection. */
  static defaultSource: ServicesSourceFactory = natsServicesSource;

  /** Where the services are asked (default {@link NunectServices.defaultSource}); for tests, stories or another backend. */
  @property({ attribute: false }) source?: ServicesSourceFactory;

  /** Milliseconds between polls (at least 250). */
  @property({ type: Number }) interval = 5_000;

  /** Milliseconds without a new reply that end a poll's collection of replies. */
  @property({ type: Number }) quiet = 300;

  /** Only this service name (`$SRV.INFO.<name>`); empty for every service. */
  @property() service = '';

  /** Every instance seen, answering or not, by name, version and id (copies). */
  get instances(): InstanceView[] {
    return this.#model.instances.map((i) => structuredClone(i));
  }

  /** The instances grouped by service name and version (copies). */
  get groups(): ServiceGroup[] {
    return structuredClone(this.#model.groups());
  }

  #model = new ServicesModel();
  #error?: NunectError;
  #client?: NunectClient;
  #generation = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #inFlight = false;
  #again = false;
  #lastPoll?: { at: number; ms: number };
  #every = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#close();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate();
  }

  /** Asks again now (after an error, or to refresh). */
  override retry(): void {
    if (this.hubs.hub.status.state === 'error') return super.retry();
    this.#error = undefined;
    this.requestUpdate();
    this.#pollNow();
  }

  /** Forgets the instances that do not answer. */
  forgetMissing(): void {
    this.#model.forgetMissing();
    this.requestUpdate();
  }

  #close(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#client = undefined;
    this.#model = new ServicesModel();
    this.#error = undefined;
    this.#inFlight = false;
    this.#again = false;
    this.#lastPoll = undefined;
    this.#every = 0;
  }

  get #interval(): number {
    return Math.max(250, Number(this.interval) || 5_000);
  }

  #sync(): void {
    const client = this.hubs.hub.client;
    if (!this.isConnected || client === this.#client) return;
    this.#close();
    if (!client || client.isClosed) return;
    this.#client = client;
    this.#every = this.#interval;
    this.#pollNow();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const generation = this.#generation;
    this.#timer = setTimeout(() => generation === this.#generation && this.#pollNow(), this.#interval);
  }

  #pollNow(): void {
    const client = this.#client;
    if (!client || !this.isConnected) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    // While reconnecting nothing is asked: no reply then would mean "missing" for every instance.
    if (client.status.state !== 'connected') return this.#schedule();
    const generation = this.#generation;
    const live = () => generation === this.#generation && client === this.#client;
    const reconnects = client.status.reconnects;
    const t0 = performance.now();
    let source;
    try {
      source = (this.source ?? NunectServices.defaultSource)(client);
    } catch (err) {
      this.#error = toNunectError(err);
      this.requestUpdate();
      return this.#schedule();
    }
    this.#inFlight = true;
    source
      .poll({ name: this.service || undefined, quiet: Math.max(50, Number(this.quiet) || 300) })
      .then(
        (poll) => {
          if (!live()) return;
          // A connection lost during the poll: its silence says nothing about the services.
          if (client.status.state !== 'connected' || client.status.reconnects !== reconnects) return;
          const now = this.now();
          this.#model.apply(poll, now);
          this.#lastPoll = { at: now, ms: performance.now() - t0 };
          this.#error = undefined;
        },
        (err: unknown) => {
          if (live()) this.#error = toNunectError(err);
        },
      )
      .finally(() => {
        if (!live()) return;
        this.#inFlight = false;
        this.requestUpdate();
        if (this.#again) {
          this.#again = false;
          this.#pollNow();
        } else this.#schedule();
      });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('source') || changed.has('service')) && this.hasUpdated) this.#close();
    this.#sync();
    if (this.#client && this.#every !== this.#interval) {
      this.#every = this.#interval;
      if (!this.#inFlight) this.#schedule();
    }
    super.willUpdate(changed);
  }

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, this.#model.polls > 0, this.#error);
  }

  #instanceColumns(now: number): TableColumn<InstanceView>[] {
    return [
      { id: 'id', label: 'Instance', rowHeader: true, cellClass: 'mono', cell: (i) => i.id },
      {
        id: 'started',
        label: 'Started',
        cell: (i) =>
          html`${i.started ? formatTime(i.started, now) : MISSING}${
            i.restarts
              ? html` <span class="restart" title=${`was ${i.previousStarted ? formatTime(i.previousStarted, now) : MISSING}`}
                  >restarted${i.restarts > 1 ? ` ${formatCount(i.restarts)}×` : ''}</span
                >`
              : nothing
          }`,
      },
      {
        id: 'uptime',
        label: 'Up for',
        numeric: true,
        cell: (i) => {
          const t = i.started ? Date.parse(i.started) : NaN;
          return Number.isFinite(t) ? formatDuration(Math.max(0, now - t)) : MISSING;
        },
      },
      { id: 'ping', label: 'Ping', numeric: true, title: 'Round trip of $SRV.PING to this instance', cell: (i) => formatDuration(i.rtt) },
      { id: 'metadata', label: 'Metadata', cell: (i) => pairs(i.metadata) },
      {
        id: 'requests',
        label: 'Requests',
        numeric: true,
        cell: (i) => formatCount(i.endpoints.some((e) => e.stats) ? i.endpoints.reduce((n, e) => n + (e.stats?.requests ?? 0), 0) : undefined),
      },
      {
        id: 'errors',
        label: 'Errors',
        numeric: true,
        cell: (i) => {
          const n = i.endpoints.some((e) => e.stats) ? i.endpoints.reduce((s, e) => s + (e.stats?.errors ?? 0), 0) : undefined;
          return n ? html`<span class="error">${formatCount(n)}</span>` : formatCount(n);
        },
      },
    ];
  }

  #endpointColumns(many: boolean): TableColumn<EndpointRow>[] {
    const columns: TableColumn<EndpointRow>[] = [
      { id: 'endpoint', label: 'Endpoint', rowHeader: true, className: 'name', cell: (r) => r.endpoint.name },
      { id: 'subject', label: 'Subject', cellClass: 'mono', cell: (r) => r.endpoint.subject || MISSING },
      { id: 'queue', label: 'Queue group', cellClass: 'mono', cell: (r) => r.endpoint.queueGroup ?? html`<span class="muted">none</span>` },
      { id: 'requests', label: 'Requests', numeric: true, cell: (r) => formatCount(r.endpoint.stats?.requests) },
      {
        id: 'errors',
        label: 'Errors',
        numeric: true,
        cell: (r) =>
          r.endpoint.stats?.errors ? html`<span class="error">${formatCount(r.endpoint.stats.errors)}</span>` : formatCount(r.endpoint.stats?.errors),
      },
      { id: 'rate', label: 'Requests/s', numeric: true, title: 'Between the last two polls', cell: (r) => formatRate(r.endpoint.requestRate) },
      {
        id: 'error-rate',
        label: 'Errors/s',
        numeric: true,
        title: 'Between the last two polls',
        cell: (r) => (r.endpoint.errorRate ? html`<span class="error">${formatRate(r.endpoint.errorRate)}</span>` : formatRate(r.endpoint.errorRate)),
      },
      {
        id: 'error-share',
        label: 'Error share',
        numeric: true,
        title: 'Errors among the requests between the last two polls',
        cell: (r) => (r.endpoint.errorShare ? html`<span class="error">${formatPercent(r.endpoint.errorShare)}</span>` : formatPercent(r.endpoint.errorShare)),
      },
      {
        id: 'avg',
        label: 'Average time',
        numeric: true,
        title: 'Average processing time per request',
        cell: (r) => formatDuration(r.endpoint.stats ? r.endpoint.stats.averageProcessingTime / NS_PER_MS : undefined),
      },
      {
        id: 'last-error',
        label: 'Last error',
        className: 'last-error',
        cellTitle: (r) => r.endpoint.stats?.lastError,
        cell: (r) => (r.endpoint.stats?.lastError ? html`<span class="error">${r.endpoint.stats.lastError}</span>` : html`<span class="muted">none</span>`),
      },
    ];
    if (many) columns.splice(1, 0, { id: 'instance', label: 'Instance', cellClass: 'mono', cell: (r) => r.instance.id });
    return columns;
  }

  override render() {
    const state = this.state;
    const status = this.renderStatus(this.#error, 'services');
    if (state !== 'ready' && state !== 'stale') return status;
    const now = this.now();
    const groups = this.#model.groups();
    const all = this.#model.instances;
    const answering = all.filter((i) => i.answering);
    const missing = all.length - answering.length;
    const errorRate = answering
      .flatMap((i) => i.endpoints)
      .reduce<number | undefined>((s, e) => (e.errorRate === undefined ? s : (s ?? 0) + e.errorRate), undefined);
    const poll = this.#model.lastPoll;
    const infoSubject = serviceSubject('INFO', this.service || undefined);
    return html`${status}
      <dl>
        ${tile('Services', formatCount(new Set(answering.map((i) => i.name)).size))} ${tile('Instances', formatCount(answering.length))}
        ${tile('Not answering', formatCount(missing), undefined, { warn: missing > 0 })}
        ${tile('Errors/s', formatRate(errorRate), undefined, { warn: !!errorRate })}
      </dl>
      <p class="poll muted" part="poll">
        Asked ${infoSubject} every
        ${formatDuration(this.#interval)}${this.#lastPoll ? `; last at ${formatTime(this.#lastPoll.at, now)} (took ${formatDuration(this.#lastPoll.ms)})` : ''}.
        ${missing ? html`<button class="forget" @click=${() => this.forgetMissing()}>Forget the ${formatCount(missing)} not answering</button>` : nothing}
      </p>
      ${(['STATS', 'PING'] as const).map((v) =>
        poll?.denied[v]
          ? html`<p class="notice" part="notice" role="note">
              ${poll.denied[v].message}. ${v === 'STATS' ? 'Requests, errors and times are not shown.' : 'Round trips are not shown.'}
            </p>`
          : nothing,
      )}
      ${
        poll?.malformed
          ? html`<p class="notice" part="notice" role="note">
              ${formatCount(poll.malformed)} ${poll.malformed === 1 ? 'reply was' : 'replies were'} not a services reply and left out.
            </p>`
          : nothing
      }
      ${
        groups.length
          ? html`<div class="services">${groups.map((g, n) => this.#renderService(g, n, now))}</div>`
          : html`<p class="empty" part="empty">
              No services answer on ${infoSubject}: nothing in this account speaks the NATS services
              protocol${this.service ? ` under the name ${this.service}` : ''}.
            </p>`
      }`;
  }

  #renderService(g: ServiceGroup, n: number, now: number) {
    const id = `service-${n}`;
    return html`<section class="service" part="service" aria-labelledby=${id} data-skew=${g.skew ? 'true' : 'false'}>
      <header>
        <h3 id=${id} class="name">${g.name}</h3>
        ${g.description ? html`<span class="muted">${g.description}</span>` : nothing}
        ${
          g.skew
            ? html`<span class="skew-badge" part="skew" title="More than one version of this service answers"
                >version skew: ${g.answeringVersions.join(', ')} running</span
              >`
            : nothing
        }
      </header>
      ${g.versions.map((v) => this.#renderVersion(g, v, now))}
    </section>`;
  }

  #renderVersion(g: ServiceGroup, v: VersionGroup, now: number) {
    const skewed = g.skew && g.answeringVersions.includes(v.version);
    const answering = v.instances.filter((i) => i.answering);
    const missing = v.instances.length - answering.length;
    const columns = this.#instanceColumns(now);
    const rows = answering.flatMap((instance) => instance.endpoints.map((endpoint) => ({ instance, endpoint })));
    const label = `${g.name} ${v.version || '(no version)'}`;
    return html`<div class="version" part=${skewed ? 'version skew' : 'version'} data-skew=${skewed ? 'true' : 'false'}>
      <h4>
        Version <span class=${skewed ? 'skewed' : ''}>${v.version || MISSING}</span>
        <span class="muted"
          >· ${formatCount(answering.length)}
          ${answering.length === 1 ? 'instance' : 'instances'}${missing ? `, ${formatCount(missing)} not answering` : ''}</span
        >
      </h4>
      ${renderTable({
        columns,
        rows: v.instances,
        label: `Instances of ${label}`,
        key: (i) => i.key,
        stickyFirst: true,
        row: (i, cells) =>
          i.answering
            ? html`<tr class="instance" data-id=${i.id}>
                ${cells}
              </tr>`
            : absentRow(absentInstance(i), now, columns.length, true),
      })}
      ${
        answering.length
          ? renderTable({
              columns: this.#endpointColumns(answering.length > 1),
              rows,
              label: `Endpoints of ${label}`,
              key: (r) => `${r.instance.key}\u0000${r.endpoint.name}`,
              stickyFirst: true,
              empty: 'No endpoints.',
            })
          : nothing
      }
    </div>`;
  }
}
