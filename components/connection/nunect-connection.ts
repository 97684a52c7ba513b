import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { NunectError, type AuthMethod, type AuthOptions, type NunectClient } from '../../client/index.js';
import { NunectWidget, type WidgetState } from '../../src/base/nunect-widget.js';
import type { HubState } from '../../src/connection/hub.js';
import { formatCount, formatRtt } from '../../src/monitor/format.js';
import { connectionStyles } from './nunect-connection.styles.js';

/** The login methods the form offers. */
export type LoginMethod = 'user' | 'token' | 'creds' | 'nkey' | 'jwt' | 'none';

const METHODS: ReadonlyArray<[LoginMethod, string]> = [
  ['user', 'User and password'],
  ['token', 'Token'],
  ['creds', 'Credentials file'],
  ['nkey', 'Nkey seed'],
  ['jwt', 'JWT and seed'],
  ['none', 'No credentials'],
];

const HEADLINE: Record<HubState, string> = {
  unconfigured: 'No server configured',
  idle: 'Not connected',
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  error: 'Not connected',
};

export type { LoginEventDetail } from '../../src/base/events.js';

/**
 * The state of the shared connection and a login form for it: server, server name and version,
 * round-trip time, reconnects and the reason of a failure; log in with user and password, a token,
 * a `.creds` file (read in memory, never stored), an nkey seed, or a JWT with its seed, and log out. When the connection has no
 * server yet, the form asks for one.
 *
 * Credentials typed or picked here go to the hub's `login()` only: they are never put into an
 * attribute, a URL, an event or the console, and the password and token fields are emptied after
 * a successful login.
 *
 * @tag nunect-connection
 * @summary Connection status and login form.
 *
 * @csspart status - The status line (state, server).
 * @csspart indicator - The coloured dot of the status line.
 * @csspart details - The server name, version, round-trip time and reconnects.
 * @csspart error - The reason the connection failed.
 * @csspart form - The login form.
 * @csspart field - A label with its input.
 * @csspart actions - The row of buttons.
 * @csspart submit - The "Log in" button.
 * @csspart logout - The "Log out" button.
 *
 * @cssprop --nunect-connection-gap - Space between the status, details and form.
 * @cssprop --nunect-connection-field-width - Maximum width of a form field.
 * @cssprop --nunect-connection-indicator-color - Status dot when not connected.
 * @cssprop --nunect-connection-connected-color - Status dot when connected.
 * @cssprop --nunect-connection-connecting-color - Status dot while connecting or reconnecting.
 * @cssprop --nunect-connection-error-color - Status dot after a failure.
 * @cssprop --nunect-connection-submit-background - Background of the "Log in" button.
 * @cssprop --nunect-connection-submit-color - Text colour of the "Log in" button.
 *
 * @fires nunect-login - Logged in from the form; `detail.method` (`user`, `token`, `creds`, `nkey`, `jwt` or `none`), never the secret.
 * @fires nunect-logout - Logged out with the "Log out" button; `detail.method`.
 * @fires nunect-state-change - The widget state changed; `detail.state` (`ready` when connected).
 */
export class NunectConnection extends NunectWidget {
  static override styles = [...NunectWidget.styles, connectionStyles];

  /** Milliseconds between round-trip-time measurements while connected. */
  @property({ type: Number, attribute: 'rtt-interval' }) rttInterval = 5_000;

  /** The login method the form shows: `user`, `token`, `creds`, `nkey`, `jwt` or `none`. */
  @property() method: LoginMethod = 'user';

  /** The last round-trip time in milliseconds (while connected). */
  @state() private _rtt?: number;
  /** A login from the form is under way. */
  @state() private _busy = false;
  /** Why the last login from the form failed (when the hub does not say it itself). */
  @state() private _loginError?: NunectError;

  #attempt = 0;
  #rttClient?: NunectClient;
  #rttTimer?: ReturnType<typeof setTimeout>;
  #file?: File;
  #focusNext?: 'logout' | 'form';

  /** The state of the connection itself (finer than `state`). */
  get connectionState(): HubState {
    const s = this.hubs.status.state;
    if (this._busy && (s === 'unconfigured' || s === 'idle' || s === 'error')) return 'connecting';
    if (this._loginError && (s === 'unconfigured' || s === 'idle')) return 'error';
    return s;
  }

  /** `ready` when connected, `connecting` while (re)connecting, `error` after a failure, else `unconfigured`. */
  protected override computeState(): WidgetState {
    switch (this.connectionState) {
      case 'connected':
        return 'ready';
      case 'connecting':
      case 'reconnecting':
        return 'connecting';
      case 'error':
        return 'error';
      default:
        return 'unconfigured';
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    const hubState = this.hubs.status.state;
    if (this._loginError && hubState !== 'idle' && hubState !== 'unconfigured') this._loginError = undefined;
    super.willUpdate(changed);
    this.#syncRtt();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const focus = this.#focusNext;
    if (!focus) return;
    const target =
      focus === 'logout'
        ? this.renderRoot.querySelector<HTMLElement>('[part~="logout"]')
        : this.renderRoot.querySelector<HTMLElement>('form input, form select');
    this.#focusNext = undefined;
    target?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopRtt();
  }

  /** Connects again with the last credentials (after a failure). */
  override retry(): void {
    this._loginError = undefined;
    const hub = this.hubs.hub;
    if (hub.status.state === 'error') hub.retry().catch(() => {});
  }

  // ——— round-trip time ———

  #syncRtt(): void {
    const client = this.isConnected && this.hubs.status.state === 'connected' ? this.hubs.hub.client : undefined;
    if (client === this.#rttClient) return;
    this.#stopRtt();
    if (!client) return;
    this.#rttClient = client;
    const measure = async () => {
      let rtt: number | undefined;
      try {
        rtt = await client.rtt();
      } catch {
        rtt = undefined;
      }
      if (this.#rttClient !== client) return;
      this._rtt = rtt;
      const every = Number.isFinite(this.rttInterval) && this.rttInterval > 0 ? this.rttInterval : 5_000;
      this.#rttTimer = setTimeout(measure, every);
    };
    void measure();
  }

  #stopRtt(): void {
    clearTimeout(this.#rttTimer);
    this.#rttTimer = undefined;
    this.#rttClient = undefined;
    this._rtt = undefined;
  }

  // ——— login and logout ———

  #input(id: string): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`);
  }

  /** The credentials the form holds for `method` (read at submit time; nothing is kept). */
  async #credentials(method: LoginMethod): Promise<AuthOptions> {
    switch (method) {
      case 'user': {
        const user = this.#input('user')?.value.trim() ?? '';
        if (!user) throw new NunectError('INVALID_OPTIONS', 'enter a user name');
        return { user, pass: this.#input('pass')?.value ?? '' };
      }
      case 'token': {
        const token = this.#input('token')?.value ?? '';
        if (!token) throw new NunectError('INVALID_OPTIONS', 'enter a token');
        return { token };
      }
      case 'creds': {
        const file = this.#file ?? this.#input('creds')?.files?.[0];
        if (!file) throw new NunectError('INVALID_OPTIONS', 'choose a credentials (.creds) file');
        if (file.size > 64 * 1024) throw new NunectError('INVALID_OPTIONS', 'that file is too large to be a .creds file');
        return { creds: await file.text() };
      }
      case 'nkey': {
        const nkey = this.#input('nkey')?.value.trim() ?? '';
        if (!nkey) throw new NunectError('INVALID_OPTIONS', 'enter the nkey seed (SU…)');
        return { nkey };
      }
      case 'jwt': {
        const jwt = this.#input('jwt')?.value.trim() ?? '';
        const seed = this.#input('seed')?.value.trim() ?? '';
        if (!jwt || !seed) throw new NunectError('INVALID_OPTIONS', 'enter the user JWT and its seed');
        return { jwt, seed };
      }
      case 'none':
        return {};
    }
  }

  #clearSecrets(): void {
    for (const id of ['pass', 'token', 'creds', 'nkey', 'jwt', 'seed']) {
      const input = this.#input(id);
      if (input) input.value = '';
    }
    this.#file = undefined;
  }

  async #onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this._busy) return;
    const hub = this.hubs.hub;
    const method = this.method;
    const focusWasInside = !!this.shadowRoot?.activeElement;
    this._loginError = undefined;
    const attempt = ++this.#attempt;
    this._busy = true;
    try {
      const server = this.#input('server')?.value.trim();
      const credentials = await this.#credentials(method);
      if (attempt !== this.#attempt) return;
      if (server) hub.configure({ servers: server });
      await hub.login(credentials);
      if (attempt !== this.#attempt) return;
      this.#clearSecrets();
      if (focusWasInside) this.#focusNext = 'logout';
      this.emit('nunect-login', { method });
    } catch (err) {
      if (attempt !== this.#attempt) return;
      this._loginError = err instanceof NunectError ? err : new NunectError('NATS', err instanceof Error ? err.message : String(err));
    } finally {
      if (attempt === this.#attempt) this._busy = false;
    }
  }

  #onMethod(event: Event): void {
    this.method = (event.target as HTMLSelectElement).value as LoginMethod;
    this.#file = undefined;
  }

  #onFile(event: Event): void {
    this.#file = (event.target as HTMLInputElement).files?.[0];
  }

  async #logout(): Promise<void> {
    this.#attempt++;
    this._busy = false;
    this._loginError = undefined;
    const hub = this.hubs.hub;
    const method: AuthMethod = hub.client?.authMethod ?? 'none';
    this.#focusNext = 'form';
    await hub.logout();
    this.emit('nunect-logout', { method });
  }

  #cancel(): void {
    this.#attempt++;
    this._busy = false;
    this.#focusNext = 'form';
    this.hubs.hub.logout().catch(() => {});
  }

  // ——— rendering ———

  override render() {
    const status = this.hubs.status;
    const view = this.connectionState;
    const connected = view === 'connected' || view === 'reconnecting';
    const error = view === 'error' ? (status.state === 'error' ? status.error : this._loginError) : undefined;
    const where = connected ? (status.server ?? status.servers.join(', ')) : status.servers.join(', ');
    return html`
      <div class="summary" part="status" role="status">
        <span class="indicator" part="indicator" data-state=${view} aria-hidden="true"></span>
        <strong>${HEADLINE[view]}</strong>
        ${this.#summary(view, where)}
      </div>
      ${
        error
          ? html`<div class="error" part="error" role="alert">
              <span>${error.message || 'Something went wrong.'}</span>
              ${status.state === 'error' && !this._busy ? html`<button type="button" @click=${() => this.retry()}>Retry</button>` : nothing}
            </div>`
          : nothing
      }
      ${connected ? this.#renderDetails(where) : this.#renderForm(view)}
    `;
  }

  #summary(view: HubState, where: string): TemplateResult | typeof nothing {
    switch (view) {
      case 'unconfigured':
        return html`<span class="muted">Enter the server to log in.</span>`;
      case 'connecting':
        return where ? html`<span class="muted">to <span class="mono">${where}</span>…</span>` : html`<span class="muted">…</span>`;
      case 'connected':
        return where ? html`<span class="muted">to <span class="mono">${where}</span></span>` : nothing;
      case 'reconnecting':
        return html`<span class="muted">to <span class="mono">${where || 'the server'}</span>…</span>`;
      default:
        return where ? html`<span class="muted mono">${where}</span>` : nothing;
    }
  }

  #renderDetails(where: string): TemplateResult {
    const status = this.hubs.status;
    return html`
      <dl part="details">
        <dt>Server</dt>
        <dd class="mono">${where || '–'}</dd>
        <dt>Server name</dt>
        <dd>${status.serverName ?? '–'}</dd>
        <dt>Version</dt>
        <dd>${status.serverVersion ? `nats-server ${status.serverVersion}` : '–'}</dd>
        <dt>Round trip</dt>
        <dd>${status.state === 'connected' ? formatRtt(this._rtt) : '–'}</dd>
        <dt>Reconnects</dt>
        <dd>${formatCount(status.reconnects)}</dd>
      </dl>
      <div class="actions" part="actions">
        <button type="button" part="logout" @click=${() => void this.#logout()}>Log out</button>
      </div>
    `;
  }

  #renderForm(view: HubState): TemplateResult {
    const needsServer = this.hubs.status.servers.length === 0;
    const connecting = view === 'connecting';
    return html`
      <form part="form" aria-label="Log in to NATS" @submit=${(e: SubmitEvent) => void this.#onSubmit(e)}>
        ${
          needsServer
            ? html`<div class="field" part="field">
                <label for="server">Server</label>
                <input
                  id="server"
                  type="text"
                  inputmode="url"
                  autocomplete="url"
                  spellcheck="false"
                  autocapitalize="none"
                  required
                  placeholder="wss://nats.example.com:8443"
                />
              </div>`
            : nothing
        }
        <div class="field" part="field">
          <label for="method">Log in with</label>
          <select id="method" .value=${this.method} @change=${this.#onMethod}>
            ${METHODS.map(([value, label]) => html`<option value=${value} ?selected=${value === this.method}>${label}</option>`)}
          </select>
        </div>
        ${this.#renderFields()}
        <div class="actions" part="actions">
          <button type="submit" part="submit" aria-disabled=${connecting ? 'true' : 'false'}>Log in</button>
          ${connecting ? html`<button type="button" @click=${() => this.#cancel()}>Cancel</button>` : nothing}
        </div>
      </form>
    `;
  }

  #renderFields(): TemplateResult | typeof nothing {
    switch (this.method) {
      case 'user':
        return html`<div class="field" part="field">
            <label for="user">User</label>
            <input id="user" type="text" autocomplete="username" spellcheck="false" autocapitalize="none" required />
          </div>
          <div class="field" part="field">
            <label for="pass">Password</label>
            <input id="pass" type="password" autocomplete="current-password" />
          </div>`;
      case 'token':
        return html`<div class="field" part="field">
          <label for="token">Token</label>
          <input id="token" type="password" autocomplete="off" spellcheck="false" required />
        </div>`;
      case 'creds':
        return html`<div class="field" part="field">
          <label for="creds">Credentials file</label>
          <input id="creds" type="file" accept=".creds,text/plain" @change=${this.#onFile} />
        </div>`;
      case 'nkey':
        return html`<div class="field" part="field">
          <label for="nkey">Nkey seed</label>
          <input id="nkey" type="password" autocomplete="off" spellcheck="false" required />
        </div>`;
      case 'jwt':
        return html`<div class="field" part="field">
            <label for="jwt">JWT</label>
            <input id="jwt" type="password" autocomplete="off" spellcheck="false" required />
          </div>
          <div class="field" part="field">
            <label for="seed">Seed</label>
            <input id="seed" type="password" autocomplete="off" spellcheck="false" required />
          </div>`;
      default:
        return nothing;
    }
  }
}
