/** Response headers of the manager server: security headers, CSP and CORS. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SecurityOptions {
  /** Origins allowed to load resources cross-origin (exact `scheme://host[:port]`). */
  corsOrigins: readonly string[];
  /** WebSocket URL(s) the page connects to (allowed by the CSP's connect-src). */
  wsUrls: readonly string[];
}

/** `wss://host:port/path` → `wss://host:port` for CSP source expressions. */
function origin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

/** Parses `NATS_MANAGER_CORS_ORIGINS`: comma/space separated origins; invalid entries are reported. */
export function parseOrigins(value: string | undefined): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const o = origin(raw);
    if (o && /^https?:$/.test(new URL(raw).protocol) && o === raw.replace(/\/$/, '')) origins.push(o);
    else invalid.push(raw);
  }
  return { origins, invalid };
}

export function contentSecurityPolicy(options: SecurityOptions): string {
  const ws = options.wsUrls.map(origin).filter(Boolean).join(' ');
  const ancestors = ["'self'", ...options.corsOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Lit uses constructable stylesheets; the page's own CSS is a file.
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`.trim(),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Sets the headers every response carries. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityOptions, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', options.corsOrigins.length ? 'cross-origin' : 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  res.setHeader('Vary', 'Origin');
  const requestOrigin = req.headers.origin;
  if (requestOrigin && options.corsOrigins.includes(requestOrigin)) {
    res.setHeader('Access-Control-Allow-Origin', requestOrigin);
  }
}
