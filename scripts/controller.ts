/**
 * `npm run controller` (npm start runs it): the Controller (scripts/controller/controller.ts) as a
 * service, configured from the environment (scripts/lib.sh loads .env): it logs in as
 * NATS_CONTROLLER_USER (OPS) to every node's WebSocket (NATS_MANAGER_WS_URL, or wss://<host>:
 * NATS_WS_PORT), trusting NATS_TLS_CA. Logs each state change to stdout. SIGINT/SIGTERM stop it.
 */
import { readFileSync } from 'node:fs';
import { connect, userInboxPrefix } from '../client/node.js';
import { parseGoDuration } from '../src/monitor/format.js';
import { Controller } from './controller/controller.js';

const env = process.env;
const fail = (msg: string): never => {
  console.error(`controller: error: ${msg}`);
  process.exit(1);
};

/** `256MB`, `1GB`, `500000` → bytes. */
function bytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(text.trim());
  if (!m) fail(`not a size: ${text} (e.g. 256MB)`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[(m![2] ?? 'B').toUpperCase() as 'B'];
  return Math.round(Number(m![1]) * unit);
}

const user = env.NATS_CONTROLLER_USER || 'controller';
// Operator mode: the user's .creds file (scripts/operator.ts writes it); password mode: the password.
const auth =
  env.NATS_AUTH_MODE === 'operator'
    ? { creds: readFileSync(`${env.NATS_CREDS_DIR || 'data/creds'}/${user}.creds`, 'utf8') }
    : { user, pass: env.NATS_CONTROLLER_PASSWORD || fail('NATS_CONTROLLER_PASSWORD is not set (run through npm start, which loads .env)') };
const servers = (env.NATS_MANAGER_WS_URL || `wss://127.0.0.1:${env.NATS_WS_PORT || 8443}`).split(/[\s,]+/).filter(Boolean);
const ca = env.NATS_TLS_CA ? readFileSync(env.NATS_TLS_CA, 'utf8') : undefined;
const logMaxAge = parseGoDuration(env.NATS_LOG_MAX_AGE || '7d') ?? fail(`NATS_LOG_MAX_AGE=${env.NATS_LOG_MAX_AGE}: not a duration (e.g. 7d, 12h)`);
const logMaxBytes = bytes(env.NATS_LOG_MAX_BYTES || '256MB');

const client = await connect({ servers, ca, ...auth, name: 'nunect-controller', inboxPrefix: userInboxPrefix(user), timeout: 20_000 }).catch((e: Error) =>
  fail(`cannot connect to ${servers.join(', ')}: ${e.message}`),
);
const controller = await Controller.start({
  client,
  logMaxAge,
  logMaxBytes,
  onEvent: (e) => console.log(`controller: ${e.account}/${e.unit} ${e.from ?? 'new'} → ${e.to}: ${e.reason}`),
}).catch((e: Error) => fail(`cannot set up the OPS streams and registry: ${e.message}`));
console.log(
  `controller: ready (liveness: ${controller.liveness === 'markers' ? 'pushed by the server (per-message TTL markers)' : 'a timer in the Controller (server before 2.11)'}; ${controller.units.length} units known; ops.history.statsz: ${controller.historyRebuilt} STATSZ samples of ${controller.history.size.servers} servers from OPS_STATSZ)`,
);
if (controller.historyProblem)
  console.error(`controller: warning: could not read OPS_STATSZ (${controller.historyProblem}); the history starts from live samples`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // With no server to answer (the stack is stopping because it crashed), a drain never ends.
  setTimeout(() => process.exit(0), 3_000).unref();
  await controller.stop();
  await client.drain().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
