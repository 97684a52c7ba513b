#!/usr/bin/env node
// `npm test`: the checks (format, lint, build with types and the custom elements manifest), the
// type check and browser unit tests, then the integration tests in Node and in Chromium against
// every nats-server found (Debian's 2.9.10 and the current release, see NATS_SERVER_BIN).
// Usage: node scripts/test.mjs [--unit] [--integration] [--e2e] [--files a.test.ts,b.test.ts]
//   --files (with --unit): only those unit test files, once (no clock/time-zone reruns).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CHROME_PATH } from './chromium.mjs';
import { cachedBinary, NATS_SERVER_VERSION, ROOT as root, SYSTEM_NATS_SERVERS } from './versions.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const files = argv.includes('--files') ? argv[argv.indexOf('--files') + 1] : undefined;
if (files) process.env.NUNECT_TEST_FILES = files;
const only = args.has('--unit') ? 'unit' : args.has('--integration') ? 'integration' : args.has('--e2e') ? 'e2e' : 'all';
const chrome = CHROME_PATH;

/** Every distinct nats-server binary to test against. */
function serverBinaries() {
  const listed = process.env.NATS_SERVER_BIN?.split(':').filter(Boolean);
  const candidates = listed ?? [...SYSTEM_NATS_SERVERS, cachedBinary('nats-server', NATS_SERVER_VERSION)];
  const seen = new Map();
  for (const bin of candidates) {
    if (!existsSync(bin)) {
      if (listed) throw new Error(`NATS_SERVER_BIN names ${bin}, which does not exist`);
      continue;
    }
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    const key = `${realpathSync(bin)}|${version}`;
    if (![...seen.values()].some((s) => s.version === version)) seen.set(key, { bin, version });
  }
  return [...seen.values()];
}

function testFiles(dir, suffix) {
  return readdirSync(join(root, dir), { recursive: true })
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f));
}

const results = [];

/** Runs a command, echoing its output, and reads its passed/failed counts. */
function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${label}\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const echo = (stream) => (chunk) => {
      out += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code) => {
      // eslint-disable-next-line no-control-regex -- strips the runners' terminal colour codes
      const plain = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      let passed = 0;
      let failed = 0;
      const tap = [...plain.matchAll(/^# (pass|fail) (\d+)$/gm)];
      if (tap.length) {
        for (const [, kind, n] of tap) {
          if (kind === 'pass') passed += +n;
          else failed += +n;
        }
      } else {
        const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
        if (wtr) [passed, failed] = [+wtr[1], +wtr[2]];
      }
      const ok = code === 0 && failed === 0;
      results.push({ label, passed, failed, ok, code });
      resolve(ok);
    });
  });
}

function ensureTools(needServer) {
  const missing = [];
  if (!existsSync(chrome)) missing.push(`Chromium (${chrome})`);
  if (needServer && serverBinaries().length === 0) missing.push('nats-server');
  if (missing.length === 0) return;
  console.log(`Missing: ${missing.join(', ')} — installing with scripts/install-test-deps.sh`);
  execFileSync('bash', [join(root, 'scripts/install-test-deps.sh')], { stdio: 'inherit' });
}

const wtr = ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs', '--static-logging'];

ensureTools(only !== 'unit');
if (only === 'all') {
  await run('format check (prettier)', 'npx', ['prettier', '--check', '.']);
  await run('lint (eslint: TypeScript, lit, wc, lit-a11y, no-only-tests, layout)', 'npx', ['eslint', '.']);
  await run('build (rollup, types, custom elements manifest)', 'npm', ['run', 'build', '--silent']);
  await run('npm run new:widget: a new widget builds, passes its tests and shows in Storybook', 'node', ['scripts/check-new-widget.mjs']);
}
if (only === 'all' || only === 'unit') {
  await run('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  await run('unit tests (Chromium)', 'node', [...wtr, '--group', 'unit']);
  // The same suite with the wall clock a year ahead, in the first and the last time zone of the
  // day: a test that depends on today's date or on the machine's zone fails here.
  for (const tz of files ? [] : ['Pacific/Kiritimati', 'America/Adak']) {
    await run(`unit tests (Chromium), clock +1 year, TZ=${tz}`, 'node', [...wtr, '--group', 'unit'], {
      NUNECT_TEST_CLOCK_SHIFT_DAYS: '365',
      NUNECT_TEST_TZ: tz,
    });
  }
}
if (only !== 'unit') {
  const servers = serverBinaries();
  console.log(`\nnats-server binaries: ${servers.map((s) => `${s.bin} (${s.version})`).join(', ')}`);
  const nodeTests = testFiles('test/integration', '.node.test.ts');
  const e2eTests = testFiles('test/e2e', '.e2e.test.ts');
  for (const { bin, version } of servers) {
    const env = { NATS_SERVER_BIN: bin };
    if (only !== 'e2e') {
      await run(`integration tests in Node — ${version}`, 'node', ['--import', 'tsx', '--test', '--test-concurrency=1', ...nodeTests], env);
      await run(`integration tests in Chromium — ${version}`, 'node', [...wtr, '--group', 'integration'], env);
    }
    if (only !== 'integration') {
      await run(`end-to-end tests (manager page, Playwright) — ${version}`, 'node', ['--import', 'tsx', '--test', '--test-concurrency=1', ...e2eTests], env);
    }
  }
}

console.log('\n=== summary');
let passed = 0;
let failed = 0;
for (const r of results) {
  passed += r.passed;
  failed += r.failed;
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.label}: ${r.passed} passed, ${r.failed} failed${r.code ? ` (exit ${r.code})` : ''}`);
}
const allOk = results.every((r) => r.ok);
if (!allOk && failed === 0) failed = results.filter((r) => !r.ok).length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(allOk ? 0 : 1);
