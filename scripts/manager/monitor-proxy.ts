/**
 * Optional same-origin, read-only proxy to the nats-server HTTPS monitor, for widgets in HTTP mode
 * on servers that send no CORS headers (< 2.9.22). Only known endpoints and query keys pass; the
 * upstream is fixed at start-up; GET/HEAD only; short timeout; bounded response size.
 */
import { request } from 'node:https';
import type { ServerResponse } from 'node:http';

/** Endpoint → allowed query keys. */
export const MONITOR_ALLOW: Record<string, readonly string[]> = {
  varz: [],
  connz: ['sort', 'auth', 'subs', 'offset', 'limit', 'cid', 'state', 'mqtt_client', 'user', 'acc', 'filter_subject'],
  subsz: ['subs', 'offset', 'limit', 'test', 'acc'],
  routez: ['subs'],
  gatewayz: ['accs', 'gw_name', 'acc_name'],
  leafz: ['subs', 'acc'],
  jsz: ['acc', 'accounts', 'streams', 'consumers', 'config', 'leader-only', 'offset', 'limit'],
  accountz: ['acc'],
  accstatz: ['unused'],
  healthz: ['js-enabled-only', 'js-server-only'],
};

const MAX_BYTES = 32 * 1024 * 1024;
const TIMEOUT_MS = 5_000;

export interface MonitorProxyOptions {
  /** e.g. https://127.0.0.1:8444 */
  upstream: string;
  /** PEM CA to trust for the upstream. */
  ca?: string;
}

/** Handles `/monitor/<endpoint>?…`; returns false when the path is not a monitor path. */
export function proxyMonitor(options: MonitorProxyOptions, pathname: string, search: URLSearchParams, res: ServerResponse, head: boolean): boolean {
  const m = /^\/monitor\/([a-z]+)$/.exec(pathname);
  if (!m) return false;
  const endpoint = m[1]!;
  const allowed = MONITOR_ALLOW[endpoint];
  if (!allowed) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('unknown monitor endpoint\n');
    return true;
  }
  const query = new URLSearchParams();
  for (const [k, v] of search) {
    if (!allowed.includes(k) || v.length > 200) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`query key not allowed for ${endpoint}\n`);
      return true;
    }
    query.append(k, v);
  }
  const url = new URL(`/${endpoint}${query.size ? `?${query}` : ''}`, options.upstream);
  const upstream = request(url, { method: 'GET', ca: options.ca, timeout: TIMEOUT_MS, headers: { accept: 'application/json' } }, (up) => {
    if (up.statusCode !== 200) {
      up.resume();
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`monitor answered ${up.statusCode}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    let size = 0;
    up.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BYTES) {
        up.destroy();
        res.destroy();
        return;
      }
      if (!head) res.write(chunk);
    });
    up.on('end', () => res.end());
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`monitor unreachable: ${err.message}\n`);
    else res.destroy();
  });
  upstream.end();
  return true;
}
