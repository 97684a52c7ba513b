/**
 * Real client churn for the benches: short client lives on a nats-server's plain TCP port (the
 * server publishes real CONNECT, DISCONNECT, CLIENT.AUTH.ERR and account CONNS events for each).
 */
import { connect as tcpConnect } from 'node:net';
import type { NatsServerInfo } from '../test/support/nats-server.js';

/**
 * One short client life on the plain TCP port (the server also offers TLS, but allows plain):
 * CONNECT, PING, wait for PONG (or -ERR for a bad password), close. The server publishes
 * CONNECT, DISCONNECT (or CLIENT.AUTH.ERR) and account CONNS events for it.
 */
export function clientLife(port: number, user: string, pass: string, name: string): Promise<void> {
  return new Promise((done) => {
    const sock = tcpConnect(port, '127.0.0.1');
    let buf = '';
    let sent = false;
    sock.setTimeout(5_000, () => sock.destroy());
    sock.on('error', () => {});
    sock.on('close', () => done());
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (!sent && buf.includes('\r\n')) {
        sent = true;
        const connect = { verbose: false, pedantic: false, user, pass, name, lang: 'bench', version: '0', protocol: 1 };
        sock.write(`CONNECT ${JSON.stringify(connect)}\r\nPING\r\n`);
      }
      if (buf.includes('PONG') || buf.includes('-ERR')) sock.end();
    });
  });
}

/** Starts client lives at `perSecond` for `seconds` (at most `concurrency` at once); 1 in 20 fails auth. */
export async function generate(info: NatsServerInfo, perSecond: number, seconds: number, concurrency: number): Promise<number> {
  const users = [info.users.BRIDGE, info.users.ENGINE, info.users.PROVISION];
  let started = 0;
  let inFlight = 0;
  const lives: Promise<void>[] = [];
  const t0 = performance.now();
  const total = Math.round(perSecond * seconds);
  while (started < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * perSecond));
    while (started < due && inFlight < concurrency) {
      const u = users[started % users.length]!;
      const bad = started % 20 === 19;
      inFlight++;
      lives.push(clientLife(info.ports.client, u.user, bad ? 'wrong' : u.pass, `bench-${started}`).finally(() => inFlight--));
      started++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(lives);
  return started;
}
