// web-test-runner: component and client tests in real Chromium (Debian's, never a download).
// Groups: `unit` (no server) and `integration` (a real nats-server started by the plugin below).
// Run through scripts/test.mjs, which loads tsx so this file can use the TypeScript test harness.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CJS_PACKAGES, cjsAsEsm } from './scripts/build/cjs-as-esm.mjs';
import { CHROME_PATH, chromiumArgs } from './scripts/chromium.mjs';
import { makeCerts, TestNatsServer } from './test/support/nats-server.ts';
import { connect } from './client/node.ts';

const certDir = mkdtempSync(join(tmpdir(), 'nunect-wtr-certs-'));
const { spki } = makeCerts(certDir);

/** Serves @nats-io/nats-core and @nats-io/nkeys (CommonJS) as ESM modules. */
function cjsPackagesAsEsm() {
  const prefix = '/__nunect/esm/';
  const urlOf = (pkg) => `${prefix}${pkg.replaceAll('/', '__')}.js`;
  return {
    name: 'nunect-cjs-as-esm',
    resolveImport({ source }) {
      if (CJS_PACKAGES.includes(source)) return urlOf(source);
    },
    serve(context) {
      if (!context.path.startsWith(prefix)) return undefined;
      const pkg = context.path.slice(prefix.length, -3).replaceAll('__', '/');
      if (CJS_PACKAGES.includes(pkg)) return { body: cjsAsEsm(pkg, urlOf), type: 'js' };
    },
  };
}

/**
 * A real nats-server for the integration tests, started on first use (unit tests never start one).
 * Tests read its info from /__nunect/nats-server.json and control it with server commands.
 */
function natsServerPlugin() {
  let starting;
  const ready = () => (starting ??= TestNatsServer.start({ certDir }));
  /** Node clients the browser tests open and close by name (they appear in connz and events). */
  const clients = new Map();
  return {
    name: 'nunect-nats-server',
    async serverStop() {
      await Promise.all([...clients.values()].map((c) => c.close().catch(() => {})));
      if (starting) await (await starting).stop();
      rmSync(certDir, { recursive: true, force: true });
    },
    async serve(context) {
      if (context.path === '/__nunect/nats-server.json') {
        const server = await ready();
        return { body: JSON.stringify(server.info), type: 'application/json' };
      }
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('nats-')) return undefined;
      const server = await ready();
      if (command === 'nats-kill') {
        await server.kill('SIGKILL');
        return true;
      }
      if (command === 'nats-start') {
        await server.start();
        return true;
      }
      if (command === 'nats-client-open') {
        const { name, account = 'BRIDGE' } = payload;
        const { user, pass } = server.info.users[account];
        clients.set(name, await connect({ servers: server.info.wsUrl, ca: server.info.ca, user, pass, name }));
        return true;
      }
      if (command === 'nats-client-close') {
        await clients.get(payload.name)?.close();
        clients.delete(payload.name);
        return true;
      }
      if (command === 'nats-connz') return server.monitor(`/connz?auth=1&subs=1&limit=1024`);
      if (command === 'nats-auth-failures') {
        return (server.log().match(/authorization violation|authentication error/gi) ?? []).length;
      }
      return undefined;
    },
  };
}

// Trust the test server's certificate (its public key) without trusting anything else.
const chromeArgs = chromiumArgs({ spki, headless: true });

/**
 * Proof that no test depends on today's date or the machine's time zone: NUNECT_TEST_CLOCK_SHIFT_DAYS
 * moves the browser's wall clock (Date) that many days, NUNECT_TEST_TZ sets its time zone
 * (scripts/test.mjs runs the unit suite once more with a year ahead in Pacific/Kiritimati and
 * America/Adak). Code that needs "now" takes an injected clock; tests pass a ManualClock.
 */
const clockShiftDays = Number(process.env.NUNECT_TEST_CLOCK_SHIFT_DAYS || 0);
const testTimeZone = process.env.NUNECT_TEST_TZ || undefined;
const shiftClockScript = clockShiftDays
  ? `<script>(() => {
      const shift = ${clockShiftDays * 86_400_000};
      const RealDate = Date;
      class ShiftedDate extends RealDate {
        constructor(...args) { if (args.length === 0) super(RealDate.now() + shift); else super(...args); }
        static now() { return RealDate.now() + shift; }
      }
      globalThis.Date = ShiftedDate;
      globalThis.__nunectClockShift = shift;
    })();</script>`
  : '';

/** Every browser test file imports test/support/lit-warnings.ts first: a Lit dev-mode warning fails the test. */
function litWarningsFirst() {
  return {
    name: 'nunect-lit-warnings',
    transform(context) {
      if (/\.test\.ts$/.test(context.path) && !context.path.includes('/node_modules/')) {
        return { body: `import '/test/support/lit-warnings.ts';\n${context.body}` };
      }
    },
  };
}

export default {
  testRunnerHtml: (testFramework) =>
    `<!doctype html><html><head>${shiftClockScript}${testTimeZone ? `<script>globalThis.__nunectTestTimeZone = ${JSON.stringify(testTimeZone)};</script>` : ''}</head><body><script type="module" src="${testFramework}"></script></body></html>`,
  nodeResolve: { exportConditions: ['browser', 'development'] },
  rootDir: '.',
  files: [],
  groups: [
    // NUNECT_TEST_FILES=a.test.ts,b.test.ts runs only those (npm run test:unit -- --files a,b).
    { name: 'unit', files: process.env.NUNECT_TEST_FILES?.split(',') ?? ['test/unit/**/*.test.ts', 'components/**/*.test.ts'] },
    { name: 'integration', files: process.env.NUNECT_TEST_FILES?.split(',') ?? ['test/integration/**/*.browser.test.ts'] },
  ],
  plugins: [cjsPackagesAsEsm(), natsServerPlugin(), esbuildPlugin({ ts: true, target: 'esnext', tsconfig: './tsconfig.json' }), litWarningsFirst()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        args: chromeArgs,
        headless: true,
        ...(testTimeZone ? { env: { ...process.env, TZ: testTimeZone } } : {}),
      },
    }),
  ],
  testFramework: { config: { timeout: 60000 } },
  testsFinishTimeout: 600000,
  concurrency: 1,
};
