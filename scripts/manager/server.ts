/**
 * The manager's tiny static HTTPS server: serves the page and bundles from one root, the public
 * settings at /settings.json, and optionally a read-only monitor proxy. GET and HEAD only.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { proxyMonitor, type MonitorProxyOptions } from './monitor-proxy.js';
import { applySecurityHeaders, contentSecurityPolicy, type SecurityOptions } from './security.js';
import { resolveStatic } from './static-files.js';

/** Settings the page may know; never credentials. */
export interface PublicSettings {
  /** WebSocket URL(s) of NATS. */
  servers: string[];
  /** NATS_MANAGER_DOMAIN, shown in the header. */
  domain: string;
  /** 'nats' ($SYS requests over the WebSocket) or 'http' (the monitor proxy at /monitor). */
  monitor: 'nats' | 'http';
  monitorUrl?: string;
  /** Reply inboxes: `user` (`_INBOX_<user>`, what the stack's restricted users may read) or `standard` (`_INBOX`). */
  inboxes: 'user' | 'standard';
}

export interface ManagerServerOptions extends SecurityOptions {
  root: string;
  host: string;
  port: number;
  cert: string;
  key: string;
  settings: PublicSettings;
  monitorProxy?: MonitorProxyOptions;
  /** Called for every request that was refused (for the log). */
  onRefused?: (req: IncomingMessage, status: number, reason: string) => void;
}

function refuse(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(`${text}\n`);
}

export function createManagerServer(options: ManagerServerOptions): Server {
  const csp = contentSecurityPolicy(options);
  const settingsBody = JSON.stringify(options.settings);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    applySecurityHeaders(req, res, options, csp);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      options.onRefused?.(req, 405, 'method');
      return refuse(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const head = method === 'HEAD';
    const rawUrl = req.url ?? '/';
    if (!rawUrl.startsWith('/') || rawUrl.startsWith('//')) {
      options.onRefused?.(req, 400, 'absolute URL');
      return refuse(res, 400, 'bad request');
    }
    const q = rawUrl.indexOf('?');
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const search = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));

    if (rawPath === '/settings.json') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      return void res.end(head ? undefined : settingsBody);
    }
    if (options.monitorProxy && proxyMonitor(options.monitorProxy, rawPath, search, res, head)) return;

    const found = resolveStatic(options.root, rawPath);
    if (!found.ok) {
      options.onRefused?.(req, found.status, found.reason);
      return refuse(res, found.status, found.status === 400 ? 'bad request' : 'not found');
    }
    res.writeHead(200, {
      'Content-Type': found.type,
      'Content-Length': String(found.size),
      'Last-Modified': found.mtime.toUTCString(),
      'Cache-Control': found.type.startsWith('text/html') ? 'no-cache' : 'public, max-age=300',
    });
    if (head) return void res.end();
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  return createServer({ cert: readFileSync(options.cert), key: readFileSync(options.key) }, handler);
}
