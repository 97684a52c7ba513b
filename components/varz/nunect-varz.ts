import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { NunectClient } from '../../client/index.js';
import { requestStatszHistory, type StatszHistoryReply } from '../../client/history.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatTime, parseGoDuration } from '../../src/monitor/format.js';
import type { Varz } from '../../client/monitor-types.js';
import { absentCard, serverSlots } from '../../src/parts/absent.js';
import { sparkline } from '../../src/parts/sparkline.js';
import { tile } from '../../src/parts/tiles.js';
import { ServerTrends, type Counter } from './varz-trends.js';
import {
  HistoryBins,
  HistoryRetry,
  historyPoints,
  historyProblem,
  isSparklineRange,
  RANGE_LABELS,
  rangeText,
  sparklineLabel,
  SPARKLINE_RANGES,
  type SparklineRange,
} from './varz-history.js';
import { varzStyles } from './nunect-varz.styles.js';

/**
 * Server overview: name, version, uptime, connections, subscriptions, messages and bytes in and out
 * with rates per second and sparklines, memory, CPU and slow consumers — one card per server of
 * the cluster; a server that stopped answering, stopped cleanly or is in lame-duck mode keeps a
 * marked card that says so and since when. Needs a user of the system account.
 *
 * The sparklines open with the last hour already drawn (`range="1h"`, 1-minute bins) or the last
 * 24 hours (`24h`, 24-minute bins): the widget asks the Controller once (`ops.history.statsz`, on
 * connect and on a range change) and folds its own live rates into the current bin. Where no
 * Controller answers (or the user may not ask), the sparklines fall back to the live samples and a
 * muted line says why; a Controller that is not there yet or too slow is asked again after 5 s,
 * then 10, 20, 40 and every 60 s, so the history comes back by itself. `live`: only the samples of
 * the widget's own polls.
 *
 * @tag nunect-varz
 * @summary Server overview with live rates.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart header - The line above the cards: the range toggle and the history note.
 * @csspart range - The group of range buttons (Live, 1 h, 24 h; `aria-pressed` on the chosen one).
 * @csspart history-note - The muted line about the history (loading, or why it is not available).
 * @csspart server - One server's card (also a server that does not answer: `server absent`).
 * @csspart absent - The card of a server that does not answer, stopped or is in lame-duck mode.
 * @csspart tile - One figure.
 * @csspart sparkline - A rate's sparkline.
 *
 * @cssprop --nunect-varz-gap - Space between server cards.
 * @cssprop --nunect-varz-tile-width - Minimum width of a figure.
 * @cssprop --nunect-varz-tile-background - Background of a figure.
 * @cssprop --nunect-sparkline-color - Line colour of the sparklines.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectVarz extends NunectWidget {
  static override styles = [...NunectWidget.styles, ...varzStyles];

  /** Milliseconds between polls. */
  @property({ type: Number }) interval = 5_000;

  /**
   * How many points a sparkline has: live, the samples kept at the poll interval (60 × 5 s =
   * 5 minutes); with history, the bins asked of the Controller (range / samples, whole minutes).
   */
  @property({ type: Number }) samples = 60;

  /**
   * What the sparklines show: `1h` (the last hour from the Controller, then live), `24h` (the last
   * 24 hours), or `live` (only this widget's polls, `samples` × `interval`). Another value is `1h`.
   */
  @property() range: SparklineRange = '1h';

  /** Milliseconds to wait for the Controller's history before falling back to live. */
  @property({ type: Number, attribute: 'history-timeout' }) historyTimeout = 5_000;

  #trends = new ServerTrends(() => this.samples);

  get #range(): SparklineRange {
    return isSparklineRange(this.range) ? this.range : '1h';
  }

  /** Asking again after a failure that may pass (no Controller yet, a timeout): see {@link HistoryRetry}. */
  readonly #historyRetry = new HistoryRetry();

  /**
   * The history, asked once per connection and range (`@lit/task`: the last value kept while it
   * runs again), and again after a failure that may pass, on a poll once the backoff has run out.
   */
  readonly #history = new Task<[NunectClient | undefined, boolean, SparklineRange, number, number], StatszHistoryReply | undefined>(this, {
    args: () => [this.hubs.hub.client, this.hubs.status.state === 'connected', this.#range, historyPoints(this.samples), this.#historyRetry.attempt],
    task: async ([client, connected, range, points], { signal }) => {
      if (range === 'live') {
        this.#trends.useHistory(undefined);
        return undefined;
      }
      if (!client || !connected) return undefined;
      const timeout = this.historyTimeout > 0 ? this.historyTimeout : 5_000;
      try {
        const reply = await requestStatszHistory(client, { range, points }, { timeout });
        if (!signal.aborted) {
          this.#trends.useHistory(new HistoryBins(reply));
          this.#historyRetry.succeeded();
        }
        return reply;
      } catch (err) {
        // The last good history of this range stays; another range falls back to live.
        if (!signal.aborted) {
          if (this.#trends.bins?.range !== range) this.#trends.useHistory(undefined);
          this.#historyRetry.failed(err, this.now());
        }
        throw new Error(historyProblem(err, timeout), { cause: err });
      }
    },
  });

  readonly #poll = new PollController<Varz>(
    this,
    this.hubs,
    () => ({ kind: 'VARZ', interval: this.interval }),
    (snapshot) => {
      if (snapshot.replies && snapshot.at) this.#trends.track(snapshot.replies);
      // A poll made it, so the connection works: ask the Controller again if its backoff has run out.
      if (this.#historyRetry.askAgain(this.now())) this.requestUpdate();
    },
  );

  constructor() {
    super();
    this.hubs.onChange(() => this.#trends.clear());
  }

  protected override computeState(): WidgetState {
    const { replies, error } = this.#poll.snapshot;
    return widgetState(this.hubs.status, !!replies, error);
  }

  override render() {
    const { replies, error, absent } = this.#poll.snapshot;
    const now = this.now();
    return html`${this.renderStatus(error, 'server overview')} ${replies ? this.#renderHeader() : nothing}
    ${
      replies
        ? html`<div class="servers">
            ${serverSlots(replies, absent).map((s) => (s.reply ? this.#renderServer(s.reply.data!, s.reply.server.id) : absentCard(s.absent, now)))}
          </div>`
        : nothing
    }`;
  }

  /** The range toggle and, when the history is loading or not available, a muted line saying so. */
  #renderHeader() {
    const range = this.#range;
    let note: string | undefined;
    if (range !== 'live') {
      const bins = this.#trends.bins;
      if (this.#history.status === TaskStatus.PENDING && bins?.range !== range) note = `loading the ${rangeText(range, 0)}…`;
      else if (this.#history.status === TaskStatus.ERROR) {
        const why = (this.#history.error as Error | undefined)?.message ?? 'history not available';
        const retryAt = this.#historyRetry.retryAt;
        const again = retryAt === undefined ? '' : `; asking again at ${formatTime(retryAt, this.now())}`;
        note =
          bins?.range === range
            ? `${why.replace(/^history not available/, 'history not refreshed')}; showing the last history received${again}`
            : `${why}; showing live rates${again}`;
      }
    }
    return html`<div class="header" part="header">
      <div class="range" part="range" role="group" aria-label="Sparkline range">
        ${SPARKLINE_RANGES.map(
          (r) => html`<button type="button" aria-pressed=${r === range ? 'true' : 'false'} @click=${() => (this.range = r)}>${RANGE_LABELS[r]}</button>`,
        )}
      </div>
      ${note ? html`<span class="muted history-note" part="history-note" role="status">${note}</span>` : nothing}
    </div>`;
  }

  #renderServer(v: Varz, id: string) {
    const trend = this.#trends.get(id);
    const shown: SparklineRange = this.#trends.bins ? this.#trends.bins.range : 'live';
    const span = this.samples * this.interval;
    const rate = (c: Counter, bytes: boolean) =>
      html`<span class="rate">${formatRate(trend?.current[c], bytes)}</span>
        ${sparkline(this.#trends.series(id, v.server_name, c), { label: sparklineLabel(c, shown, span) })}`;
    return html`<section class="server" part="server" aria-label=${`Server ${v.server_name}`}>
      <header>
        <strong>${v.server_name}</strong>
        <span class="muted">nats-server ${v.version}</span>
        <span class="muted">up ${formatDuration(parseGoDuration(v.uptime))}</span>
        <span class="muted mono">${v.server_id.slice(0, 12)}…</span>
      </header>
      <dl>
        ${tile('Connections', formatCount(v.connections), html`<span class="rate">${formatCount(v.total_connections)} since start</span>`)}
        ${tile('Subscriptions', formatCount(v.subscriptions))} ${tile('Messages in', formatCount(v.in_msgs), rate('in_msgs', false))}
        ${tile('Messages out', formatCount(v.out_msgs), rate('out_msgs', false))} ${tile('Bytes in', formatBytes(v.in_bytes), rate('in_bytes', true))}
        ${tile('Bytes out', formatBytes(v.out_bytes), rate('out_bytes', true))} ${tile('Memory', formatBytes(v.mem))}
        ${tile('CPU', formatPercent(v.cpu), v.cores ? html`<span class="rate">${formatCount(v.cores)} cores</span>` : undefined)}
        ${tile('Slow consumers', formatCount(v.slow_consumers), undefined, { warn: !!v.slow_consumers })}
        ${tile('Routes · leaf nodes', `${formatCount(v.routes)} · ${formatCount(v.leafnodes)}`)}
      </dl>
    </section>`;
  }
}
