/**
 * The manager's HTTPS server, configured from the environment (scripts/manager.sh loads .env):
 * NATS_MANAGER_BIND, NATS_MANAGER_PORT, NATS_MANAGER_DOMAIN, NATS_MANAGER_CORS_ORIGINS,
 * NATS_MANAGER_WS_URL, NATS_MANAGER_MONITOR (nats | http), NATS_MANAGER_INBOXES (user | standard),
 * NATS_MANAGER_TLS_CERT/KEY (default:
 * the dev certificate), NATS_MANAGER_ROOT (default dist/manager).
 * Run: node --import tsx scripts/manager-server.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManagerServer } from './manager/server.js';
import { parseOrigins } from './manager/security.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const env = process.env;
const fail = (msg: string): never => {
  console.error(`manager: error: ${msg}`);
  process.exit(1);
};

const host = env.NATS_MANAGER_BIND || '127.0.0.1';
const port = Number(env.NATS_MANAGER_PORT || 4280);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`NATS_MANAGER_PORT is not a port: ${env.NATS_MANAGER_PORT}`);
const domain = env.NATS_MANAGER_DOMAIN || 'localhost';
const wsPort = env.NATS_WS_PORT || '8443';
const wsUrls = (env.NATS_MANAGER_WS_URL || `wss://${domain}:${wsPort}`).split(/[\s,]+/).filter(Boolean);
const { origins, invalid } = parseOrigins(env.NATS_MANAGER_CORS_ORIGINS);
if (invalid.length) fail(`NATS_MANAGER_CORS_ORIGINS has entries that are not origins (scheme://host[:port]): ${invalid.join(', ')}`);
const cert = env.NATS_MANAGER_TLS_CERT || env.NATS_TLS_CERT || join(root, 'certs/server.pem');
const key = env.NATS_MANAGER_TLS_KEY || env.NATS_TLS_KEY || join(root, 'certs/server-key.pem');
for (const f of [cert, key]) if (!existsSync(f)) fail(`TLS file missing: ${f} (run npm run certs)`);
const pageRoot = resolve(env.NATS_MANAGER_ROOT || join(root, 'dist/manager'));
if (!existsSync(join(pageRoot, 'index.html'))) fail(`no page at ${pageRoot} (run npm run build:manager)`);
const monitor = env.NATS_MANAGER_MONITOR === 'http' ? 'http' : 'nats';
const inboxes = env.NATS_MANAGER_INBOXES || 'user';
if (inboxes !== 'user' && inboxes !== 'standard') fail(`NATS_MANAGER_INBOXES=${inboxes}: use user (_INBOX_<user>) or standard (_INBOX)`);
const upstream = env.NATS_MANAGER_MONITOR_UPSTREAM || `https://127.0.0.1:${env.NATS_HTTPS_PORT || 8444}`;

const server = createManagerServer({
  root: pageRoot,
  host,
  port,
  cert,
  key,
  corsOrigins: origins,
  wsUrls,
  settings: { servers: wsUrls, domain, monitor, monitorUrl: monitor === 'http' ? '/monitor' : undefined, inboxes: inboxes as 'user' | 'standard' },
  monitorProxy:
    monitor === 'http' ? { upstream, ca: env.NATS_TLS_CA && existsSync(env.NATS_TLS_CA) ? readFileSync(env.NATS_TLS_CA, 'utf8') : undefined } : undefined,
  onRefused: (req, status, reason) => console.log(`manager: refused ${req.method} ${JSON.stringify(req.url?.slice(0, 200))} → ${status} (${reason})`),
});

server.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') fail(`port ${host}:${port} is in use (NATS_MANAGER_PORT); stop the other process or change the port in .env`);
  fail(err.message);
});
server.listen(port, host, () => {
  const shown = host === '0.0.0.0' || host === '::' ? domain : host === '127.0.0.1' ? domain : host;
  console.log(`manager: serving ${pageRoot} at https://${shown}:${port}/ (NATS ${wsUrls.join(', ')}, monitor via ${monitor})`);
});

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`manager: ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3_000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
