// Pinned versions (config/versions.env) and where the project's own nats-server builds live, for
// every Node script: npm test, the test harness, benchmarks and the fixture capture.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** config/versions.env as an object. */
export const VERSIONS = Object.fromEntries(
  readFileSync(join(ROOT, 'config/versions.env'), 'utf8')
    .split('\n')
    .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);

export const NATS_SERVER_VERSION = VERSIONS.NUNECT_NATS_SERVER_VERSION;
export const NATSCLI_VERSION = VERSIONS.NUNECT_NATSCLI_VERSION;

/** Where `go install` puts a pinned build (scripts/lib.sh and install-test-deps.sh use the same). */
export function cachedBinary(tool, version) {
  return join(homedir(), '.cache/nunect', `${tool}-${version}`, tool);
}

/** Distro locations of nats-server, oldest first by convention (Debian's package). */
export const SYSTEM_NATS_SERVERS = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** The current pinned nats-server build, if it was built. */
export function currentNatsServer() {
  const bin = cachedBinary('nats-server', NATS_SERVER_VERSION);
  return existsSync(bin) ? bin : undefined;
}
