import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { MonitorReply, Varz } from '../../client/monitor-types.js';
import { NunectWidget, widgetState, type WidgetState } from '../../src/base/nunect-widget.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import { formatCount } from '../../src/monitor/format.js';
import { publishStyles } from './nunect-publish.styles.js';

/**
 * Publish: one line per server of the cluster, from `$SYS.REQ.SERVER.PING.VARZ`.
 * (Made by `npm run new:widget publish`: replace this description, the data it polls and what it
 * renders; keep the states, the JSDoc tags and the styling conventions.)
 *
 * @tag nunect-publish
 * @summary Publish of every server.
 *
 * @csspart status - The status line (connecting, loading, stale, error).
 * @csspart list - The list of servers.
 * @csspart item - One server.
 *
 * @cssprop --nunect-publish-gap - Space between the servers.
 *
 * @fires nunect-state-change - The widget state changed; `detail.state`.
 */
export class NunectPublish extends NunectWidget {
  static override styles = [...NunectWidget.styles, publishStyles];

  /** Milliseconds between polls (the shortest interval of the widgets on a connection wins). */
  @property({ type: Number }) interval = 5_000;

  readonly #poll = new PollController<Varz>(this, this.hubs, () => ({ kind: 'VARZ', interval: this.interval }));

  protected override computeState(): WidgetState {
    return widgetState(this.hubs.status, !!this.#poll.snapshot.replies, this.#poll.snapshot.error);
  }

  override render() {
    const replies = this.#poll.snapshot.replies;
    return html`${this.renderStatus(this.#poll.snapshot.error, 'servers')}
    ${
      replies
        ? html`<ul part="list">
            ${replies.map((r) => this.#renderServer(r))}
          </ul>`
        : ''
    }`;
  }

  #renderServer(r: MonitorReply<Varz>) {
    // Server-provided text only through text bindings.
    return html`<li part="item"><span class="name">${r.server.name}</span> <span class="muted">${formatCount(r.data?.connections)} connections</span></li>`;
  }
}
