import { ContextProvider } from '@lit/context';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { NunectError, type AuthOptions, type NunectClient } from '../client/index.js';
import '../components/connection/define.js';
import type { LoginMethod, NunectConnection } from '../components/connection/nunect-connection.js';
import { hubContext } from '../src/connection/context.js';
import { ConnectionHub, type HubOptions, type HubStatus } from '../src/connection/hub.js';
import { asClient, FakeClient } from '../test/support/fake-client.js';

/**
 * A hub whose status the story sets, so that every state shows without a server. Logging in from
 * the form pretends: a second of `connecting`, then `connected` — or, with the password or token
 * `wrong`, the server's refusal.
 */
class StoryHub extends ConnectionHub {
  #status: HubStatus;
  #client?: NunectClient;
  #listeners = new Set<(status: HubStatus) => void>();
  #credentials: AuthOptions = {};

  constructor(status: Partial<HubStatus>) {
    super({ servers: status.servers ? [...status.servers] : [] });
    this.#status = { state: 'unconfigured', servers: [], reconnects: 0, ...status };
    if (this.#status.state === 'connected' || this.#status.state === 'reconnecting') this.#client = storyClient();
  }

  override get status(): HubStatus {
    return this.#status;
  }

  override get client(): NunectClient | undefined {
    return this.#client;
  }

  override subscribe(listener: (status: HubStatus) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#status);
    return () => this.#listeners.delete(listener);
  }

  override configure(options: HubOptions): void {
    super.configure(options);
    // The base constructor configures before this class's fields exist.
    if (#status in this) this.#set({ servers: [...super.status.servers], state: super.status.servers.length ? 'idle' : 'unconfigured' });
  }

  override async login(credentials: AuthOptions = {}): Promise<void> {
    this.#credentials = credentials;
    this.#set({ state: 'connecting', error: undefined });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (credentials.pass === 'wrong' || credentials.token === 'wrong') {
      const error = new NunectError('AUTHORIZATION', 'connecting: the server refused the credentials (Authorization Violation)');
      this.#set({ state: 'error', error });
      throw error;
    }
    this.#client = storyClient();
    this.#set({ state: 'connected', ...CONNECTED });
  }

  override retry(): Promise<void> {
    return this.login(this.#credentials);
  }

  override async logout(): Promise<void> {
    this.#client = undefined;
    this.#set({ state: this.#status.servers.length ? 'idle' : 'unconfigured', error: undefined, server: undefined });
  }

  #set(change: Partial<HubStatus>): void {
    this.#status = { ...this.#status, ...change };
    for (const l of this.#listeners) l(this.#status);
  }
}

const SERVERS = ['wss://nats.example.com:8443'];
const CONNECTED = { server: 'nats.example.com:8443', serverName: 'nats-1', serverVersion: '2.15.2', reconnects: 0 };

/** A fake client that answers rtt() (the round trip the widget shows). */
function storyClient(): NunectClient {
  return asClient(Object.assign(new FakeClient(), { rtt: async () => 0.8 + Math.random() * 0.4 }));
}

interface Args {
  method: LoginMethod;
  rttInterval: number;
}

/** The widget under a provider of `hub` (a context provider on a plain wrapper). */
function withHub(status: Partial<HubStatus>) {
  return (args: Args): HTMLElement => {
    const wrapper = document.createElement('div');
    new ContextProvider(wrapper, { context: hubContext, initialValue: new StoryHub(status) });
    const el = document.createElement('nunect-connection') as NunectConnection;
    el.method = args.method;
    el.rttInterval = args.rttInterval;
    wrapper.append(el);
    return wrapper;
  };
}

const meta = {
  title: 'Widgets/Connection',
  component: 'nunect-connection',
  args: { method: 'user', rttInterval: 2_000 },
  argTypes: {
    method: { control: { type: 'select' }, options: ['user', 'token', 'creds', 'none'] },
    rttInterval: { control: { type: 'number', min: 250, step: 250 } },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Connection status and login form. In these stories the connection is simulated: logging in takes a second and succeeds, except with the password or token `wrong`.',
      },
    },
  },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

/** No server configured: the form asks for one. */
export const Unconfigured: Story = { render: withHub({ state: 'unconfigured' }) };

/** A server, not logged in. */
export const Idle: Story = { render: withHub({ state: 'idle', servers: SERVERS }) };

/** Logging in with a token (the method set as a property). */
export const IdleToken: Story = { args: { method: 'token' }, render: withHub({ state: 'idle', servers: SERVERS }) };

/** Logging in with a `.creds` file. */
export const IdleCredentialsFile: Story = { args: { method: 'creds' }, render: withHub({ state: 'idle', servers: SERVERS }) };

export const Connecting: Story = { render: withHub({ state: 'connecting', servers: SERVERS }) };

/** Connected: server, name, version, round trip and reconnects. */
export const Connected: Story = { render: withHub({ state: 'connected', servers: SERVERS, ...CONNECTED }) };

export const Reconnecting: Story = {
  render: withHub({
    state: 'reconnecting',
    servers: SERVERS,
    ...CONNECTED,
    reconnects: 3,
    error: new NunectError('CONNECTION_FAILED', 'lost the connection'),
  }),
};

/** The server refused the credentials. */
export const ErrorState: Story = {
  name: 'Error',
  render: withHub({
    state: 'error',
    servers: SERVERS,
    error: new NunectError('AUTHORIZATION', 'connecting: the server refused the credentials (Authorization Violation)'),
  }),
};
