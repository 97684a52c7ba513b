/**
 * The stock manager page: registers every nunect element, reads the public settings from the
 * server (/settings.json: WebSocket URL, domain, monitor mode — never credentials) and configures
 * the page-level connection. Login happens in <nunect-connection>.
 */
import '../index.js';
import { configure } from '../connection/context.js';

interface PublicSettings {
  servers: string[];
  domain: string;
  monitor: 'nats' | 'http';
  monitorUrl?: string;
  inboxes?: 'user' | 'standard';
}

async function start(): Promise<void> {
  const notice = document.getElementById('notice')!;
  try {
    const res = await fetch('/settings.json', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const settings = (await res.json()) as PublicSettings;
    document.getElementById('domain')!.textContent = settings.domain;
    document.title = `nunect · ${settings.domain}`;
    configure({
      servers: settings.servers,
      monitorUrl: settings.monitorUrl,
      name: 'nunect-manager',
      // By default each user reads only its own replies (_INBOX_<user>.>, config/permissions.conf).
      ...(settings.inboxes === 'standard' ? { inboxPrefix: '_INBOX' } : {}),
    });
  } catch (err) {
    notice.textContent = `Could not load the manager settings: ${err instanceof Error ? err.message : String(err)}`;
    notice.hidden = false;
  }
}

void start();
