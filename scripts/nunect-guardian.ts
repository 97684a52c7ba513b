/**
 * nunect-guardian: runs a command as a unit, so that a program with no nunect code appears on the
 * dashboard. It logs in to NATS, publishes the unit's heartbeat (nunect/guardian), turns every
 * line the command prints into a log record (stdout → ops.log.info.<unit>; stderr →
 * ops.log.warn.<unit>, or .error for lines that say error/fatal/panic), reports the exit code,
 * and with --restart starts the command again with a growing delay.
 *
 *   nunect-guardian --unit bridge-1 [--kind bridge] [--version 1.2.0] [--interval 5s]
 *     [--server wss://host:8443]… [--ca certs/ca.pem]
 *     [--creds FILE | --user NAME (password in NATS_PASSWORD or --password-file FILE) | --token-file FILE]
 *     [--restart [--max-restarts N]] -- node bridge.js …
 *
 * Secrets are never command-line arguments (other users can read those): a file, or the
 * environment. Run in development with `npm run guardian -- --unit … -- <command>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { connect, createLogger, userInboxPrefix, type AuthOptions } from '../client/node.js';
import { startGuardian } from '../client/guardian-node.js';
import { parseGoDuration } from '../src/monitor/format.js';

const fail = (msg: string): never => {
  console.error(`nunect-guardian: ${msg}`);
  process.exit(2);
};

function parse(argv: string[]) {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const command = dash < 0 ? [] : argv.slice(dash + 1);
  const opts: Record<string, string[]> = {};
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    if (!a.startsWith('--')) fail(`unexpected argument ${a} (the command goes after --)`);
    const name = a.slice(2);
    if (name === 'restart') (opts.restart ??= []).push('1');
    else if (name === 'password' || name === 'token' || name === 'seed')
      fail(`--${name} is not taken: a secret on the command line is visible to every user (ps); use NATS_PASSWORD, --password-file, --token-file or --creds`);
    else (opts[name] ??= []).push(own[++i] ?? fail(`--${name} needs a value`));
  }
  return { opts, command };
}

const { opts, command } = parse(process.argv.slice(2));
const one = (k: string) => opts[k]?.at(-1);
const unit = one('unit') ?? fail('--unit ID is required');
if (!command.length) fail('no command: nunect-guardian --unit ID [options] -- command [args]');
const interval = parseGoDuration(one('interval') ?? '5s') ?? fail(`--interval ${one('interval')}: not a duration (e.g. 5s)`);
const servers = (opts.server ?? [process.env.NATS_URL ?? 'wss://127.0.0.1:8443']).flatMap((s) => s.split(','));
const caFile = one('ca') ?? process.env.NATS_TLS_CA;
const auth: AuthOptions = one('creds')
  ? { creds: readFileSync(one('creds')!, 'utf8') }
  : one('token-file')
    ? { token: readFileSync(one('token-file')!, 'utf8').trim() }
    : one('user')
      ? {
          user: one('user')!,
          pass: one('password-file')
            ? readFileSync(one('password-file')!, 'utf8').trim()
            : (process.env.NATS_PASSWORD ?? fail('--user needs NATS_PASSWORD or --password-file')),
        }
      : {};
const restart = !!opts.restart;
const maxRestarts = Number(one('max-restarts') ?? Infinity);

const client = await connect({
  servers,
  ...auth,
  ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}),
  // The connection is named as the unit: the Controller sees its DISCONNECT at once.
  name: unit,
  ...(auth.user ? { inboxPrefix: userInboxPrefix(auth.user) } : {}),
  timeout: 20_000,
}).catch((e: Error) => fail(`cannot connect to ${servers.join(', ')}: ${e.message}`));
const log = createLogger(client, unit);
// Refused heartbeats or logs (e.g. a unit user allowed only another unit's subjects) arrive as
// asynchronous errors of the connection: say them, once per distinct message, or the unit is
// silently never seen alive.
const said = new Set<string>();
client.on('error', (err) => {
  if (said.has(err.message)) return;
  said.add(err.message);
  console.error(
    `nunect-guardian: ${err.message}${err.code === 'PERMISSION_DENIED' ? ` (may user ${auth.user ?? '?'} publish ops.health.${unit} and ops.log.*.${unit}? see config/permissions.conf)` : ''}`,
  );
});

let child: ChildProcess | undefined;
let restarts = 0;
let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
let stopping = false;

const guardian = await startGuardian(client, {
  unit,
  kind: one('kind'),
  version: one('version'),
  interval,
  checks: {
    process: () => {
      if (child && child.exitCode === null && child.signalCode === null) return;
      throw new Error(`not running${exit ? ` (${describe(exit)})` : ''}`);
    },
  },
  extra: () => ({ restarts }),
});

function describe(e: { code: number | null; signal: NodeJS.Signals | null }): string {
  return e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`;
}

function lines(stream: NodeJS.ReadableStream, echo: NodeJS.WritableStream, record: (line: string) => void): void {
  createInterface({ input: stream }).on('line', (line) => {
    echo.write(`${line}\n`);
    record(line);
  });
}

function run(): void {
  exit = undefined;
  const c = spawn(command[0]!, command.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
  child = c;
  log.info(`started ${command.join(' ')}`, { pid: c.pid, restarts });
  lines(c.stdout!, process.stdout, (l) => log.info(l));
  lines(c.stderr!, process.stderr, (l) => (/\b(error|fatal|panic)\b/i.test(l) ? log.error(l) : log.warn(l)));
  c.on('error', (err) => log.error(`cannot run ${command[0]}: ${err.message}`));
  c.on('exit', (code, signal) => {
    exit = { code, signal };
    const how = describe(exit);
    if (code === 0) log.info(how);
    else log.error(how);
    if (stopping) return;
    if (restart && restarts < maxRestarts) {
      const delay = Math.min(30_000, 1_000 * 2 ** Math.min(restarts, 5));
      restarts++;
      log.warn(`restarting in ${delay / 1000} s (restart ${restarts})`);
      void guardian.beat();
      setTimeout(run, delay);
    } else {
      void finish(how, code ?? 1);
    }
  });
}

async function finish(reason: string, code: number): Promise<void> {
  stopping = true;
  await guardian.stop(reason);
  await client.drain().catch(() => {});
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.once('exit', () => void finish(`stopped by ${sig}`, 0));
      child.kill(sig);
    } else void finish(`stopped by ${sig}`, 0);
  });
}

run();
