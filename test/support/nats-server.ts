/**
 * Starts a real nats-server for tests, from the project's own config/nats-server.conf (or another
 * config, e.g. the operator-mode one of scripts/operator.ts), on free ports with temporary
 * directories and freshly made development certificates. Stopped by PID. Node only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivedSettings } from '../../scripts/derived-settings.js';
import { SYSTEM_NATS_SERVERS } from '../../scripts/versions.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFIG = join(ROOT, 'config/nats-server.conf');

/** One user per account of the nunect config. */
export const ACCOUNTS = ['SYS', 'BRIDGE', 'ENGINE', 'PROVISION', 'OPS'] as const;
export type AccountName = (typeof ACCOUNTS)[number];
export type Users = Record<AccountName, { user: string; pass: string }>;

/**
 * The least-privilege users of config/nats-server.conf (permission sets in config/permissions.conf),
 * next to the one full-rights user per account: the settings prefix of each and its account.
 */
export const ROLES = {
  monitor: { account: 'SYS', prefix: 'NATS_MONITOR' },
  admin: { account: 'SYS', prefix: 'NATS_ADMIN' },
  'bridge-service': { account: 'BRIDGE', prefix: 'NATS_BRIDGE_SERVICE' },
  'engine-service': { account: 'ENGINE', prefix: 'NATS_ENGINE_SERVICE' },
  'provision-service': { account: 'PROVISION', prefix: 'NATS_PROVISION_SERVICE' },
  logger: { account: 'BRIDGE', prefix: 'NATS_LOGGER' },
  leaf: { account: 'BRIDGE', prefix: 'NATS_LEAF' },
  'bridge-viewer': { account: 'BRIDGE', prefix: 'NATS_BRIDGE_VIEWER' },
  'bridge-unit': { account: 'BRIDGE', prefix: 'NATS_BRIDGE_UNIT' },
  'engine-unit': { account: 'ENGINE', prefix: 'NATS_ENGINE_UNIT' },
  'provision-unit': { account: 'PROVISION', prefix: 'NATS_PROVISION_UNIT' },
  controller: { account: 'OPS', prefix: 'NATS_CONTROLLER' },
  dashboard: { account: 'OPS', prefix: 'NATS_DASHBOARD' },
} as const satisfies Record<string, { account: AccountName; prefix: string }>;
export type RoleName = keyof typeof ROLES;
export type RoleUsers = Record<RoleName, { user: string; pass: string; account: AccountName }>;

/** The unit each account's unit user runs as (NATS_<ACCOUNT>_UNIT). */
export const UNIT_IDS = { NATS_BRIDGE_UNIT: 'bridge-1', NATS_ENGINE_UNIT: 'engine-1', NATS_PROVISION_UNIT: 'provision-1' } as const;

/**
 * The user-name settings the harness gives the server (NATS_<ACCOUNT>_USER, NATS_<ROLE>_USER,
 * NATS_LOGGER_UNIT): e.g. for scripts/operator.ts to make the same users as JWTs.
 */
export function userSettings(loggerUnit = 'bridge-1'): Record<string, string> {
  const env: Record<string, string> = { NATS_LOGGER_UNIT: loggerUnit, ...UNIT_IDS };
  for (const a of ACCOUNTS) env[`NATS_${a}_USER`] = a.toLowerCase();
  for (const [role, { prefix }] of Object.entries(ROLES)) env[`${prefix}_USER`] = role;
  return { ...env, ...derivedSettings(env) };
}

/** What a test needs to know about a running server (serialisable: the browser gets it too). */
export interface NatsServerInfo {
  bin: string;
  version: string;
  name: string;
  host: string;
  ports: { client: number; ws: number; https: number };
  wsUrl: string;
  monitorUrl: string;
  natsUrl: string;
  /** PEM of the development CA that signed the server certificate. */
  ca: string;
  users: Users;
  /** The least-privilege users (password mode; in operator mode the same names have .creds files). */
  roles: RoleUsers;
  /** The unit whose records the logger user may publish (ops.log.*.<unit>). */
  loggerUnit: string;
}

/** Certificates for tests: made once per directory with the project's own script. */
export function makeCerts(dir: string): { ca: string; cert: string; key: string; spki: string } {
  const spki = execFileSync('bash', [join(ROOT, 'scripts/dev-certs.sh'), '--spki', dir], {
    encoding: 'utf8',
    env: { ...process.env, NATS_MANAGER_DOMAIN: '' },
  })
    .trim()
    .split('\n')
    .pop()!;
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server-key.pem'), spki };
}

/** A TCP port that was free a moment ago. */
function probePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** Ports this process handed out already: the kernel may offer a just-closed port again. */
const handedOut = new Set<number>();

/** A TCP port that was free a moment ago and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Whether a TCP port can be bound on 127.0.0.1 now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolveBind) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolveBind(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveBind(true)));
  });
}

/**
 * `count` consecutive TCP ports that were free a moment ago and not handed out before (the dev
 * cluster derives node i's ports as node 1's + (i-1)·NATS_PORT_STEP; tests use a step of 1).
 */
export async function freePortBlock(count: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    const rest = Array.from({ length: count - 1 }, (_, i) => first + 1 + i);
    if (rest.some((p) => handedOut.has(p) || p > 65_535)) continue;
    if ((await Promise.all(rest.map(bindable))).every(Boolean)) {
      for (const p of rest) handedOut.add(p);
      return first;
    }
  }
}

/** The nats-server binary: NATS_SERVER_BIN, else the first in PATH. */
export function serverBinary(): string {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv) return fromEnv;
  for (const candidate of SYSTEM_NATS_SERVERS) {
    if (existsSync(candidate)) return candidate;
  }
  return 'nats-server';
}

function getJSON(url: string, ca: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { ca, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  bin?: string;
  name?: string;
  /** Directory holding ca.pem/server.pem/server-key.pem; made in a temp dir when absent. */
  certDir?: string;
  /**
   * Config file to start from instead of config/nats-server.conf, e.g. the operator-mode config
   * written by scripts/operator.ts. It gets the same environment (ports, TLS, JetStream dir).
   */
  config?: string;
  /** Extra environment for the server, on top of the harness's settings. */
  env?: Record<string, string>;
}

/** A running nats-server; `kill()` and `start()` restart it on the same ports. */
export class TestNatsServer {
  info!: NatsServerInfo;
  private child?: ChildProcess;
  private dir!: string;
  private env!: NodeJS.ProcessEnv;
  private logFile!: string;
  private ownsCertDir = false;
  private certDir!: string;
  private config = CONFIG;

  static async start(options: StartOptions = {}): Promise<TestNatsServer> {
    const s = new TestNatsServer();
    await s.init(options);
    await s.start();
    return s;
  }

  private async init(options: StartOptions): Promise<void> {
    const bin = options.bin ?? serverBinary();
    this.dir = mkdtempSync(join(tmpdir(), 'nunect-test-'));
    this.certDir = options.certDir ?? join(this.dir, 'certs');
    this.ownsCertDir = !options.certDir;
    const certs = makeCerts(this.certDir);
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^nats-server:\s*v?/, '');
    const [client, ws, https] = [await freePort(), await freePort(), await freePort()];
    const name = options.name ?? `nunect-test-${client}`;
    const password = () => `p${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const users = Object.fromEntries(ACCOUNTS.map((a) => [a, { user: a.toLowerCase(), pass: password() }])) as Users;
    const roles = Object.fromEntries(Object.entries(ROLES).map(([role, { account }]) => [role, { user: role, pass: password(), account }])) as RoleUsers;
    const loggerUnit = 'bridge-1';
    this.config = options.config ?? CONFIG;
    this.logFile = join(this.dir, 'nats-server.log');
    this.env = {
      ...process.env,
      NATS_SERVER_NAME: name,
      NATS_HOST: '127.0.0.1',
      NATS_PORT: String(client),
      NATS_WS_HOST: '127.0.0.1',
      NATS_WS_PORT: String(ws),
      NATS_HTTPS_PORT: String(https),
      NATS_TLS_CERT: certs.cert,
      NATS_TLS_KEY: certs.key,
      NATS_JETSTREAM_DIR: join(this.dir, 'jetstream'),
      NATS_WS_COMPRESSION: process.env.NATS_WS_COMPRESSION ?? 'true',
      // The URL the tests connect to, so the failover list holds one entry for this server.
      NATS_WS_ADVERTISE: `127.0.0.1:${ws}`,
    };
    for (const a of ACCOUNTS) {
      this.env[`NATS_${a}_USER`] = users[a].user;
      this.env[`NATS_${a}_PASSWORD`] = users[a].pass;
    }
    for (const [role, { prefix }] of Object.entries(ROLES)) {
      this.env[`${prefix}_USER`] = roles[role as RoleName].user;
      this.env[`${prefix}_PASSWORD`] = roles[role as RoleName].pass;
    }
    this.env.NATS_LOGGER_UNIT = loggerUnit;
    Object.assign(this.env, UNIT_IDS);
    Object.assign(this.env, options.env);
    Object.assign(this.env, derivedSettings(this.env));
    this.info = {
      bin,
      version,
      name,
      host: '127.0.0.1',
      ports: { client, ws, https },
      wsUrl: `wss://127.0.0.1:${ws}`,
      monitorUrl: `https://127.0.0.1:${https}`,
      natsUrl: `nats://127.0.0.1:${client}`,
      ca: readFileSync(certs.ca, 'utf8'),
      users,
      roles,
      loggerUnit,
    };
  }

  /** Starts (or restarts) the server on its ports and waits until /healthz answers. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) throw new Error('nats-server is already running');
    const child = spawn(this.info.bin, ['-c', this.config, '-l', this.logFile], { env: this.env, stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        const r = await getJSON(`${this.info.monitorUrl}/healthz`, this.info.ca, 500);
        if (r.status === 200) return;
      } catch {
        /* not up yet */
      }
      await sleep(50);
    }
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    await this.kill();
    throw new Error(`nats-server ${this.info.bin} did not become healthy:\n${log}`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Sends `signal` to the server's PID and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  /** GET a monitoring endpoint (e.g. `/varz`) and parse its JSON. */
  async monitor<T = Record<string, unknown>>(path: string): Promise<T> {
    const r = await getJSON(`${this.info.monitorUrl}${path}`, this.info.ca);
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
    return JSON.parse(r.body) as T;
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its temporary files. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
    if (this.ownsCertDir) rmSync(this.certDir, { recursive: true, force: true });
  }
}
