import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, parseGoDuration } from '../../src/monitor/format.js';
import type { Varz } from '../../client/monitor-types.js';
import { absentCard, serverSlots } from '../../src/parts/absent.js';
import { sparkline } from '../../src/parts/sparkline.js';
import { tile } from '../../src/parts/tiles.js';
import { ServerTrends, type Counter } from './varz-trends.js';
import { varzStyles } from './nunect-varz.styles.js';

/**
 * Server overview: name, version, uptime, connections, subscriptions, messages and bytes in and out
 * with rates per second and sparklines, memory, CPU and slow consumers — one card per server of
 * the cluster; a server that stopped answering, stopped cleanly or is in lame-duck mode keeps a
 * marked card that says so and since when. Needs a user of the system account.
 *
 * @tag nunect-varz
 * @summary Server overview with live rates.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
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

  /** How many samples the sparklines keep (at the poll interval: 60 × 5 s = 5 minutes). */
  @property({ type: Number }) samples = 60;

  #trends = new ServerTrends(() => this.samples);

  readonly #poll = new PollController<Varz>(
    this,
    this.hubs,
    () => ({ kind: 'VARZ', interval: this.interval }),
    (snapshot) => {
      if (snapshot.replies && snapshot.at) this.#trends.track(snapshot.replies);
    },
  );

  protected override computeState(): WidgetState {
    const { replies, error } = this.#poll.snapshot;
    return widgetState(this.hubs.status, !!replies, error);
  }

  override render() {
    const { replies, error, absent } = this.#poll.snapshot;
    const now = this.now();
    return html`${this.renderStatus(error, 'server overview')}
    ${
      replies
        ? html`<div class="servers">
            ${serverSlots(replies, absent).map((s) => (s.reply ? this.#renderServer(s.reply.data!, s.reply.server.id) : absentCard(s.absent, now)))}
          </div>`
        : nothing
    }`;
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
