import { ContextProvider, createContext } from '@lit/context';
import { ConnectionHub, type HubOptions } from './hub.js';
import type { AuthOptions } from '../../client/index.js';

/**
 * The context every nunect widget consumes. The key is a global symbol, versioned, so widgets from
 * two bundles on one page still share one connection.
 */
export const hubContext = createContext<ConnectionHub>(Symbol.for('nunect.hub.v1'));

const PAGE_HUB = Symbol.for('nunect.page-hub.v1');
type PageGlobal = typeof globalThis & { [PAGE_HUB]?: { hub: ConnectionHub; provider: ContextProvider<typeof hubContext> } };

/** Reads `<meta name="nunect-server" content="wss://…">` (and `nunect-monitor-url`) if the page has them. */
export function metaOptions(): HubOptions {
  if (typeof document === 'undefined') return {};
  const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content || undefined;
  return { servers: meta('nunect-server'), monitorUrl: meta('nunect-monitor-url') };
}

/**
 * The page-level hub: used by every widget that has no `<nunect-provider>` above it and no
 * `.client` of its own. It is provided from `<html>`, so a provider added later takes over the
 * widgets inside it.
 */
export function pageHub(): ConnectionHub {
  const g = globalThis as PageGlobal;
  if (!g[PAGE_HUB]) {
    const hub = new ConnectionHub(metaOptions());
    const provider = new ContextProvider(document.documentElement, { context: hubContext, initialValue: hub });
    g[PAGE_HUB] = { hub, provider };
  }
  return g[PAGE_HUB].hub;
}

/** Options of {@link configure}: the hub settings plus, optionally, credentials to log in at once. */
export interface ConfigureOptions extends HubOptions {
  /** Log in now with these credentials (from JavaScript only — never from markup). */
  credentials?: AuthOptions;
}

/**
 * Configures the page-level connection from JavaScript:
 * `configure({ servers: 'wss://nats.example.com:8443' })`. With `credentials` it also logs in.
 * Returns the hub.
 */
export function configure(options: ConfigureOptions): ConnectionHub {
  const { credentials, ...hubOptions } = options;
  const hub = pageHub();
  hub.configure(hubOptions);
  if (credentials) hub.login(credentials).catch(() => {}); // the error is in hub.status
  return hub;
}
