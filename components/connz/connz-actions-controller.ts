import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { Task, TaskStatus } from '@lit/task';
import { kickClient, moveClient, recordAudit, userRights, type AdminResult, type NunectClient, type UserRights } from '../../client/index.js';
import type { Connz, MonitorReply } from '../../client/monitor-types.js';
import type { HubController } from '../../src/controllers/hub-controller.js';
import { SubscriptionController } from '../../src/controllers/subscription-controller.js';
import { formatNumber } from '../../src/monitor/format.js';
import {
  ACTIONS,
  actionBlocked,
  auditRecord,
  CONFIRM_SUBJECTS,
  confirmation,
  disconnectOf,
  MATCH_LABELS,
  matchCut,
  matchParams,
  matchRows,
  OUTCOME_LABELS,
  runAll,
  targetOf,
  targetsSummary,
  type ConnzAction,
  type ConnzTarget,
  type MatchField,
} from './connz-actions.js';
import type { ConnzRow } from './connz-query.js';

/** What the controller needs of its element. */
export type ActionsHost = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

/** One action on one connection and how it ended. */
export interface ActionResult {
  action: ConnzAction;
  target: ConnzTarget;
  /** Undefined while the request is under way. */
  result?: AdminResult;
  audited?: boolean;
  /** What the DISCONNECT event said, when it came. */
  confirmed?: string;
}

/** Requests under way at once. */
const PARALLEL = 4;

const FIELDS: readonly MatchField[] = ['account', 'user', 'name'];

/**
 * Acting on connections from `<nunect-connz>` (nats-server 2.10+): what this user may do
 * (`$SYS.REQ.USER.INFO`, asked once per connection with `@lit/task`), the selection (a checkbox per
 * row, or every connection of an account, user or client name across the servers), the preview and
 * the confirmation dialog, the requests (KICK, LDM) with a result per connection, the audit record
 * of every attempt (`ops.audit.<action>`), and the DISCONNECT events that confirm them.
 */
export class ConnzActionsController implements ReactiveController {
  readonly #host: ActionsHost;
  readonly #hubs: HubController;
  readonly #now: () => number;
  /** The selected connections, by row key. */
  readonly selected = new Map<string, ConnzTarget>();
  /** Results of this page's actions, by row key (the latest action on each). */
  results = new Map<string, ActionResult>();
  /** The action waiting for confirmation (the dialog is open) and what it acts on. */
  confirming?: { action: ConnzAction; targets: ConnzTarget[] };
  /** Actions under way. */
  running = 0;
  /** What "select matching" found out, for people. */
  matchNote?: string;
  #matchField: MatchField = 'account';
  #matchValue = '';
  #opener?: HTMLElement;
  /** Subscribed to the confirming events once an action was sent. */
  #listening = false;

  readonly #rights: Task<[NunectClient | undefined, boolean], UserRights | undefined>;
  readonly #events: SubscriptionController;

  /** `now`: the widget's clock (ms since the epoch), for the audit records. */
  constructor(host: ActionsHost, hubs: HubController, now: () => number) {
    this.#host = host;
    this.#hubs = hubs;
    this.#now = now;
    this.#rights = new Task(host, {
      args: () => [hubs.hub.client, hubs.status.state === 'connected'] as [NunectClient | undefined, boolean],
      task: async ([client, connected]) => (client && connected ? userRights(client) : undefined),
    });
    this.#events = new SubscriptionController(
      host,
      hubs,
      () => (this.#listening ? CONFIRM_SUBJECTS : []),
      (m) => this.#onEvent(m.subject, m.data),
    );
    hubs.onChange(() => {
      this.selected.clear();
      this.results = new Map();
      this.#listening = false;
    });
    host.addController(this);
  }

  hostConnected(): void {}

  get rights(): UserRights | undefined {
    return this.#rights.value;
  }

  /** Still asking what this user may do. */
  get asking(): boolean {
    const s = this.#rights.status;
    return s === TaskStatus.PENDING || (s === TaskStatus.INITIAL && this.#hubs.status.state === 'connected');
  }

  /** Why `action` is not offered on this server (undefined: it is). */
  blocked(action: ConnzAction, server: { serverId: string; server: string; version?: string }): string | undefined {
    if (this.asking) return 'Checking what this user may do…';
    return actionBlocked(action, server, this.#rights.value);
  }

  /** Whether some action is offered on this server (its rows get a checkbox). */
  offered(server: { id: string; name: string; ver?: string }): boolean {
    return (Object.keys(ACTIONS) as ConnzAction[]).some((a) => !this.blocked(a, { serverId: server.id, server: server.name, version: server.ver }));
  }

  // -----------------------------------------------------------------------------------------------
  // Selection

  toggle(row: ConnzRow, on: boolean): void {
    if (on) this.selected.set(row.key, targetOf(row));
    else this.selected.delete(row.key);
    this.#host.requestUpdate();
  }

  clear(): void {
    this.selected.clear();
    this.matchNote = undefined;
    this.#host.requestUpdate();
  }

  /** Selects every open connection matching the field across the servers (their first 1,024 each). */
  async selectMatching(field: MatchField, value: string): Promise<void> {
    const source = this.#hubs.hub.monitorSource;
    if (!value.trim() || !source) return;
    let replies: MonitorReply<Connz>[];
    try {
      replies = await source.fetch<Connz>('CONNZ', matchParams(field, value));
    } catch (err) {
      this.matchNote = `Could not look for matching connections: ${(err as Error).message}`;
      this.#host.requestUpdate();
      return;
    }
    const rows = matchRows(replies, field, value).filter((r) => this.offered(r.server));
    for (const r of rows) this.selected.set(r.key, targetOf(r));
    const cut = matchCut(replies);
    const label = MATCH_LABELS[field].toLowerCase();
    this.matchNote =
      `${formatNumber(rows.length)} ${rows.length === 1 ? 'connection' : 'connections'} with ${label} “${value.trim()}” selected` +
      (cut.length ? ` (only the first ${formatNumber(1024)} of ${cut.map((c) => `${formatNumber(c.total)} on ${c.server}`).join(', ')} were looked at)` : '') +
      '.';
    this.#host.requestUpdate();
  }

  // -----------------------------------------------------------------------------------------------
  // Acting

  /** The selected connections the action may be done to, and how many it may not be (why). */
  #split(action: ConnzAction): { allowed: ConnzTarget[]; blocked: Map<string, number> } {
    const allowed: ConnzTarget[] = [];
    const blocked = new Map<string, number>();
    for (const t of this.selected.values()) {
      const why = this.blocked(action, t);
      if (why) blocked.set(why, (blocked.get(why) ?? 0) + 1);
      else allowed.push(t);
    }
    return { allowed, blocked };
  }

  async #ask(action: ConnzAction, opener: HTMLElement): Promise<void> {
    const { allowed } = this.#split(action);
    if (!allowed.length) return;
    this.#opener = opener;
    this.confirming = { action, targets: allowed };
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    const dialog = this.#dialog();
    if (dialog && !dialog.open) dialog.showModal();
    // The safe choice has the focus; Escape cancels too.
    dialog?.querySelector<HTMLButtonElement>('button.cancel')?.focus();
  }

  #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector('dialog.actions-dialog');
  }

  #onAction = (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    void this.#ask(button.dataset.action as ConnzAction, button);
  };

  #onCancel = () => this.#dialog()?.close();

  #onConfirm = () => {
    const c = this.confirming;
    this.#dialog()?.close();
    if (c) void this.run(c.action, c.targets);
  };

  #onDialogClose = () => {
    this.confirming = undefined;
    const opener = this.#opener;
    this.#opener = undefined;
    this.#host.requestUpdate();
    // Back to the button that opened it, once it is enabled again.
    void this.#host.updateComplete.then(() => {
      if (opener?.isConnected) opener.focus();
    });
  };

  /** Does `action` to every target (after the confirmation): a result each, each audited. */
  async run(action: ConnzAction, targets: readonly ConnzTarget[]): Promise<void> {
    const client = this.#hubs.hub.client;
    if (!client) return;
    if (!this.#listening) {
      this.#listening = true;
      this.#events.resubscribe();
    }
    const who = this.#rights.value?.user;
    const results = new Map(this.results);
    for (const t of targets) results.set(t.key, { action, target: t });
    this.results = results;
    this.running++;
    this.#host.requestUpdate();
    const act = action === 'kick' ? kickClient : moveClient;
    await runAll(
      targets,
      PARALLEL,
      (t) => act(client, t.serverId, t.cid),
      (t, result) => {
        // Every attempt, done, refused or failed, goes to the audit trail.
        const audited = recordAudit(client, auditRecord(action, t, result, who, this.#now()));
        const before = this.results.get(t.key);
        this.results = new Map(this.results).set(t.key, { action, target: t, result, audited, confirmed: before?.confirmed });
        if (result.outcome === 'ok') this.selected.delete(t.key);
        this.#host.requestUpdate();
      },
    );
    this.running--;
    this.#host.requestUpdate();
  }

  #onEvent(subject: string, data: Uint8Array): void {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(data));
    } catch {
      return;
    }
    const d = disconnectOf(subject, json);
    const r = d && this.results.get(d.key);
    if (!d || !r) return;
    this.results = new Map(this.results).set(d.key, { ...r, confirmed: confirmation(r.action, d.reason) });
    this.#host.requestUpdate();
  }

  // -----------------------------------------------------------------------------------------------
  // Rendering

  #onCheck = (e: Event) => {
    const box = e.target as HTMLInputElement;
    const row = this.#rowsByKey.get(box.dataset.key ?? '');
    if (row) this.toggle(row, box.checked);
  };

  #rowsByKey = new Map<string, ConnzRow>();

  /** Tells the controller which rows are shown (what a checkbox acts on). */
  showing(rows: readonly ConnzRow[]): void {
    this.#rowsByKey = new Map(rows.map((r) => [r.key, r]));
  }

  /** A row's selection cell: a checkbox, or why nothing can be done to it. */
  renderSelect(r: ConnzRow): TemplateResult {
    if (!this.offered(r.server)) {
      const why = this.blocked('kick', { serverId: r.server.id, server: r.server.name, version: r.server.ver });
      return html`<span class="why muted" title=${why ?? nothing}>–</span>`;
    }
    return html`<input
      type="checkbox"
      class="select"
      data-key=${r.key}
      .checked=${this.selected.has(r.key)}
      aria-label=${`Select ${r.c.name || 'connection'} (${r.c.cid}) on ${r.server.name}`}
      @change=${this.#onCheck}
    />`;
  }

  #onField = (e: Event) => {
    this.#matchField = (e.target as HTMLSelectElement).value as MatchField;
  };

  #onValue = (e: Event) => {
    this.#matchValue = (e.target as HTMLInputElement).value;
  };

  #onMatch = (e: Event) => {
    e.preventDefault();
    void this.selectMatching(this.#matchField, this.#matchValue);
  };

  #onClear = () => this.clear();

  /**
   * The actions bar: why there are none (old servers, rights), or the "select matching" form, the
   * preview of the selection and the action buttons. `servers`: the servers whose rows are listed.
   */
  renderBar(servers: ReadonlyArray<{ id: string; name: string; ver?: string }>): TemplateResult | typeof nothing {
    if (!servers.length) return nothing;
    const offered = servers.filter((s) => this.offered(s));
    if (!offered.length) {
      const reasons = new Set(
        servers.flatMap((s) => (Object.keys(ACTIONS) as ConnzAction[]).map((a) => this.blocked(a, { serverId: s.id, server: s.name, version: s.ver }) ?? '')),
      );
      return html`<div class="actions-bar" part="actions">
        <p class="note muted actions-why" role="status">No actions on these connections: ${[...reasons].filter(Boolean).join(' ')}</p>
      </div>`;
    }
    const n = this.selected.size;
    const others = servers.length - offered.length;
    return html`<div class="actions-bar" part="actions">
      <form class="match" @submit=${this.#onMatch} aria-label="Select connections across servers">
        <label
          >Select by
          <select @change=${this.#onField} .value=${this.#matchField}>
            ${FIELDS.map((f) => html`<option value=${f} ?selected=${f === this.#matchField}>${MATCH_LABELS[f]}</option>`)}
          </select></label
        >
        <label
          >Value
          <input type="text" class="match-value" .value=${this.#matchValue} @input=${this.#onValue} autocomplete="off" spellcheck="false" />
        </label>
        <button type="submit" class="match-button">Select matching</button>
      </form>
      <span class="selection" role="status">${n ? `Selected: ${targetsSummary([...this.selected.values()])}` : 'No connection selected.'}</span>
      ${(Object.keys(ACTIONS) as ConnzAction[]).map((a) => this.#renderActionButton(a))}
      ${n ? html`<button type="button" class="clear" @click=${this.#onClear}>Clear selection</button>` : nothing}
      ${this.matchNote ? html`<p class="note muted">${this.matchNote}</p>` : nothing}
      ${
        others
          ? html`<p class="note muted">
              Not on
              ${servers
                .filter((s) => !this.offered(s))
                .map((s) => s.name)
                .join(', ')}:
              ${this.#why(servers)}
            </p>`
          : nothing
      }
    </div>`;
  }

  #why(servers: ReadonlyArray<{ id: string; name: string; ver?: string }>): string {
    const s = servers.find((x) => !this.offered(x));
    return s ? (this.blocked('kick', { serverId: s.id, server: s.name, version: s.ver }) ?? '') : '';
  }

  #renderActionButton(action: ConnzAction): TemplateResult | typeof nothing {
    const { allowed, blocked } = this.#split(action);
    if (!this.selected.size) return nothing;
    const label = ACTIONS[action].label;
    if (!allowed.length) return html`<span class="why muted">${label}: ${[...blocked.keys()].join(' ')}</span>`;
    return html`<button type="button" class="action" data-action=${action} ?disabled=${!!this.confirming} @click=${this.#onAction}>
        ${label} ${targetsSummary(allowed)}…
      </button>
      ${blocked.size ? html`<span class="why muted">(${formatNumber([...blocked.values()].reduce((a, b) => a + b, 0))} not: ${[...blocked.keys()].join(' ')})</span>` : nothing}`;
  }

  /** The confirmation dialog (always in the DOM, closed until an action is asked for). */
  renderDialog(): TemplateResult {
    const c = this.confirming;
    const who = this.#rights.value?.user;
    const what = c ? targetsSummary(c.targets) : 'the connections';
    const kick = c?.action !== 'ldm';
    // Empty while closed (its words are not part of the page's text until it opens).
    if (!c) return html`<dialog class="actions-dialog" part="dialog" aria-label="Confirm an action" @close=${this.#onDialogClose}></dialog>`;
    return html`<dialog class="actions-dialog" part="dialog" aria-labelledby="action-title" aria-describedby="action-what" @close=${this.#onDialogClose}>
      <h2 id="action-title">${c ? `${ACTIONS[c.action].label} ${what}?` : 'Act on connections?'}</h2>
      ${
        kick
          ? html`<p id="action-what">
              The server closes each connection at once. A kicked client usually reconnects by itself (measured: about 1.2 s later): a disconnect is not a ban.
              To keep a client out, revoke its user (or credentials) and reload the server configuration, then disconnect it.
            </p>`
          : html`<p id="action-what">
              Each client is asked to move to another server of the cluster (lame duck for one client): it reconnects elsewhere and keeps its subscriptions. A
              client that knows no other server reconnects to the same one.
            </p>`
      }
      ${
        c
          ? html`<ul class="dialog-targets">
              ${c.targets.slice(0, 10).map((t) => html`<li>${t.name || '(no name)'} <span class="muted">(${t.cid} on ${t.server})</span></li>`)}
              ${c.targets.length > 10 ? html`<li class="muted">and ${formatNumber(c.targets.length - 10)} more</li>` : nothing}
            </ul>`
          : nothing
      }
      <p class="muted">Every attempt is recorded in the audit trail (ops.audit.${c?.action ?? 'kick'})${who ? ` as ${who}` : ''}.</p>
      <div class="dialog-actions">
        <button type="button" class="cancel" @click=${this.#onCancel}>Cancel</button>
        <button type="button" class="confirm" @click=${this.#onConfirm}>${c ? `${ACTIONS[c.action].label} ${what}` : 'Confirm'}</button>
      </div>
    </dialog>`;
  }

  /** A result per connection acted on (a live region, always there, so each outcome is announced). */
  renderResults(): TemplateResult {
    const list = [...this.results.values()];
    const noEvents = this.#listening && this.#events.error;
    return html`<div class="action-results" part="results" role="status">
      ${
        list.length
          ? html`<h2>Actions</h2>
              <ul>
                ${list.map((r) => {
                  const outcome = r.result?.outcome;
                  return html`<li class=${outcome === undefined ? 'pending' : outcome === 'ok' ? 'ok' : 'failed'} data-key=${r.target.key}>
                    <strong>${r.target.name || '(no name)'}</strong> <span class="muted">(${r.target.cid} on ${r.target.server})</span> ·
                    ${ACTIONS[r.action].label}: <span class="outcome">${outcome ? OUTCOME_LABELS[outcome] : 'sending…'}</span>${
                      r.result?.message ? html` · <span class="muted">${r.result.message}</span>` : nothing
                    }${r.confirmed ? html` · <span class="confirmed">${r.confirmed}</span>` : nothing}${
                      r.result && r.audited === false ? html` · <span class="failed">the audit record could not be sent</span>` : nothing
                    }
                  </li>`;
                })}
              </ul>
              ${noEvents ? html`<p class="note muted">Not confirmed by events: this user may not subscribe to ${CONFIRM_SUBJECTS[0]}.</p>` : nothing}`
          : nothing
      }
    </div>`;
  }
}
