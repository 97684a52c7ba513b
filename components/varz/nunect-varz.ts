import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, parseGoDuration } from '../../src/monitor/format.js';
import { History, RateTracker } from '../../src/monitor/rates.js';
import type { MonitorReply, Varz } from '../../client/monitor-types.js';
import { sparkline } from '../../src/parts/sparkline.js';
import { tile } from '../../src/parts/tiles.js';
import { varzStyles } from './nunect-varz.styles.js';

type Counter = 'in_msgs' | 'out_msgs' | 'in_bytes' | 'out_bytes';
const COUNTERS: Counter[] = ['in_msgs', 'out_msgs', 'in_bytes', 'out_bytes'];

interface ServerTrend {
  rates: RateTracker<Counter>;
  current: Partial<Record<Counter, number>>;
  history: Record<Counter, History>;
}

/**
 * Server overview: name, version, uptime, connections, subscriptions, messages and bytes in and out
 * with rates per second and sparklines, memory, CPU and slow consumers — one card per server of
 * the cluster. Needs a user of the system account.
 *
 * @tag nunect-varz
 * @summary Server overview with live rates.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart server - One server's card.
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

  /** How many samples the sparklines keep (at the poll interval: 60 × 5 s = 5 minutes). */
  @property({ type: Number }) samples = 60;

  #trends = new Map<string, ServerTrend>();

  readonly #poll = new PollController<Varz>(
    this,
    this.hubs,
    () => ({ kind: 'VARZ', interval: this.interval }),
    (snapshot) => {
      if (snapshot.replies && snapshot.at) this.#track(snapshot.replies);
    },
  );

  protected override computeState(): WidgetState {
    const { replies, error } = this.#poll.snapshot;
    return widgetState(this.hubs.status, !!replies, error);
  }

  #track(replies: MonitorReply<Varz>[]): void {
    for (const r of replies) {
      if (!r.data) continue;
      let trend = this.#trends.get(r.server.id);
      if (!trend) {
        const history = Object.fromEntries(COUNTERS.map((c) => [c, new History(this.samples)])) as Record<Counter, History>;
        trend = { rates: new RateTracker<Counter>(), current: {}, history };
        this.#trends.set(r.server.id, trend);
      }
      const rates = trend.rates.update(r.data.now, Object.fromEntries(COUNTERS.map((c) => [c, r.data![c]])) as Record<Counter, number>);
      if (rates) {
        trend.current = rates;
        for (const c of COUNTERS) if (rates[c] !== undefined) trend.history[c].push(rates[c]!);
      }
    }
  }

  override render() {
    const { replies, error } = this.#poll.snapshot;
    return html`${this.renderStatus(error, 'server overview')}
    ${replies ? html`<div class="servers">${replies.map((r) => (r.data ? this.#renderServer(r.data, r.server.id) : nothing))}</div>` : nothing}`;
  }

  #renderServer(v: Varz, id: string) {
    const trend = this.#trends.get(id);
    const rate = (c: Counter, bytes: boolean) =>
      html`<span class="rate">${formatRate(trend?.current[c], bytes)}</span> ${sparkline(trend?.history[c].values ?? [])}`;
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
