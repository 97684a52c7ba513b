/**
 * The stock manager pages: register the elements each page uses, read the public settings from
 * the server (/settings.json: WebSocket URL, domain, monitor mode — never credentials) and
 * configure the page-level connection. Login happens in <nunect-connection>.
 *
 * The monitoring elements are in manager.js; the others load with the page that has them (units
 * and logs, the data widgets and the JetStream/KV libraries), so the monitoring page does not grow.
 */
import '../../components/connection/define.js';
import '../../components/provider/define.js';
import '../../components/servers/define.js';
import '../../components/varz/define.js';
import '../../components/accounts/define.js';
import '../../components/jsz/define.js';
import '../../components/connz/define.js';
import '../../components/event-log/define.js';
import '../../components/subsz/define.js';
import '../../components/routez/define.js';
import { configure } from '../connection/context.js';

/** Elements loaded only on a page that has them. */
const ON_DEMAND: Record<string, () => Promise<unknown>> = {
  'nunect-units': () => import('../../components/units/define.js'),
  'nunect-log-tail': () => import('../../components/log-tail/define.js'),
  'nunect-streams': () => import('../../components/streams/define.js'),
  'nunect-kv': () => import('../../components/kv/define.js'),
  'nunect-tail': () => import('../../components/tail/define.js'),
  'nunect-publish': () => import('../../components/publish/define.js'),
  'nunect-services': () => import('../../components/services/define.js'),
};

for (const [tag, load] of Object.entries(ON_DEMAND)) {
  if (document.querySelector(tag)) {
    load().catch((err: unknown) => {
      const notice = document.getElementById('notice')!;
      notice.textContent = `Could not load ${tag}: ${err instanceof Error ? err.message : String(err)}`;
      notice.hidden = false;
    });
  }
}

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
