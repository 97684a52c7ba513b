/** The manager's static HTTPS server: path safety, methods, CORS, security headers, monitor proxy. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createManagerServer } from '../../scripts/manager/server.js';
import { equal, ok } from '../support/assert.js';
import { freePort, makeCerts, TestNatsServer } from '../support/nats-server.js';

const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';
const ALLOWED = 'https://dashboard.example.com';
let nats: TestNatsServer;
let server: Server;
let base: { host: string; port: number; ca: string };
let dir: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path exactly as given (no URL normalisation by the client). */
function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.host, port: base.port, method, path, ca: base.ca, headers, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('manager static server', () => {
  before(async () => {
    nats = await TestNatsServer.start();
    dir = mkdtempSync(join(tmpdir(), 'nunect-manager-test-'));
    const root = join(dir, 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>page</title>');
    writeFileSync(join(root, 'app.js'), 'export {};');
    writeFileSync(join(root, 'sub', 'index.html'), 'sub page');
    writeFileSync(join(root, '.env'), `NATS_SYS_PASSWORD=${SECRET}`);
    symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
    symlinkSync(dir, join(root, 'dir-out'));
    const port = await freePort();
    // The manager gets its own dev CA and certificate, made by the project's script.
    const certs = makeCerts(join(dir, 'certs'));
    base = { host: '127.0.0.1', port, ca: readFileSync(certs.ca, 'utf8') };
    server = createManagerServer({
      root,
      host: '127.0.0.1',
      port,
      cert: certs.cert,
      key: certs.key,
      corsOrigins: [ALLOWED],
      wsUrls: ['wss://localhost:8443'],
      settings: { servers: ['wss://localhost:8443'], domain: 'localhost', monitor: 'http', monitorUrl: '/monitor', inboxes: 'user' },
      monitorProxy: { upstream: nats.info.monitorUrl, ca: nats.info.ca },
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves files and directory indexes with their types', async () => {
    const index = await send('GET', '/');
    equal(index.status, 200);
    ok(String(index.headers['content-type']).startsWith('text/html'));
    equal((await send('GET', '/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
    equal((await send('GET', '/sub/')).body, 'sub page');
    const head = await send('HEAD', '/app.js');
    equal(head.status, 200);
    equal(head.body, '');
  });

  test('refuses every traversal attempt and never leaks what is outside the root', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/sub/../../secret.txt',
      '/sub/%2e%2e/%2e%2e/secret.txt',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      '/etc/passwd',
      '/link-out.txt',
      '/dir-out/secret.txt',
      '/app.js%00.html',
      '/.env',
      '/%2eenv',
      '/%',
      'http://evil.example/secret.txt',
    ];
    for (const path of attempts) {
      const r = await send('GET', path);
      ok(r.status >= 400 && r.status < 500, `${path} → ${r.status}`);
      ok(!r.body.includes(SECRET) && !r.body.includes('root:'), `${path} leaked content`);
    }
  });

  test('allows GET and HEAD only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await send(method, '/index.html');
      equal(r.status, 405, method);
      equal(r.headers.allow, 'GET, HEAD');
    }
  });

  test('sends the security headers, with a CSP that allows the WebSocket and no inline script', async () => {
    const r = await send('GET', '/');
    const csp = String(r.headers['content-security-policy']);
    ok(/script-src 'self'(;|$)/.test(csp), csp);
    ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
    ok(csp.includes("connect-src 'self' wss://localhost:8443"), csp);
    ok(csp.includes(`frame-ancestors 'self' ${ALLOWED}`), csp);
    equal(r.headers['x-content-type-options'], 'nosniff');
    ok(String(r.headers['strict-transport-security']).startsWith('max-age='));
    equal(r.headers['referrer-policy'], 'no-referrer');
    // Refusals carry them too.
    equal((await send('GET', '/../x')).headers['x-content-type-options'], 'nosniff');
  });

  test('answers CORS only for configured origins', async () => {
    const allowed = await send('GET', '/app.js', { Origin: ALLOWED });
    equal(allowed.headers['access-control-allow-origin'], ALLOWED);
    const other = await send('GET', '/app.js', { Origin: 'https://evil.example' });
    equal(other.headers['access-control-allow-origin'], undefined);
    const none = await send('GET', '/app.js');
    equal(none.headers['access-control-allow-origin'], undefined);
  });

  test('serves public settings without credentials', async () => {
    const r = await send('GET', '/settings.json');
    equal(r.status, 200);
    const settings = JSON.parse(r.body);
    equal(settings.domain, 'localhost');
    ok(!/pass|secret|token|seed/i.test(r.body), r.body);
  });

  test('proxies only known monitor endpoints and query keys, read-only', async () => {
    const varz = await send('GET', '/monitor/varz');
    equal(varz.status, 200);
    equal(JSON.parse(varz.body).server_name, nats.info.name);
    equal((await send('GET', '/monitor/connz?auth=1&limit=5')).status, 200);
    equal((await send('GET', '/monitor/connz?callback=alert')).status, 400);
    equal((await send('GET', '/monitor/reload')).status, 404);
    equal((await send('GET', '/monitor/../varz')).status, 404);
    equal((await send('POST', '/monitor/varz')).status, 405);
  });
});
