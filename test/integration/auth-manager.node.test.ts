/**
 * The manager page with the least-privilege monitoring user, end to end through the project's
 * scripts (`npm start` = scripts/start.sh) and Debian's Chromium driven by Playwright:
 *   - operator mode (NATS_AUTH_MODE=operator): the monitor user's .creds file from the login form;
 *   - password mode: the monitor user's password.
 * In both the page shows live data, and refused logins appear in the event log as auth errors.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeUser, fmtCreds } from '@nats-io/jwt';
import { createAccount, createUser } from '@nats-io/nkeys';
import { chromium, type Browser, type Page } from 'playwright-core';
import { connect, type ConnectOptions } from '../../client/node.js';
import { equal, ok, rejects } from '../support/assert.js';
import { cleanup, loadGenerated, natsPid, script, stackEnv, startScript, stopChild, type Stack } from '../support/stack.js';
import { ROOT } from '../support/nats-server.js';
import { CHROME_PATH, chromiumArgs } from '../../scripts/chromium.mjs';

const STEP = { timeout: 15_000 };
const bin = process.env.NATS_SERVER_BIN ?? 'default';

type Login = (page: Page) => Promise<void>;

/** Starts `npm start` for the stack, a browser, and checks the page with `login`. */
function managerSuite(
  mode: 'operator' | 'password',
  ready: RegExp,
  setup: (stack: Stack) => void,
  loginAs: (stack: Stack) => Login,
  auth: (stack: Stack, user: string) => Partial<ConnectOptions>,
): { stack: () => Stack; browser: () => Browser | undefined } {
  let stack: Stack;
  let browser: Browser | undefined;
  let npmStart: Awaited<ReturnType<typeof startScript>> | undefined;

  before(async () => {
    stack = await stackEnv();
    setup(stack);
  });
  after(async () => {
    await browser?.close().catch(() => {});
    await stopChild(npmStart?.child, 'SIGINT');
    try {
      script(stack, 'nats-server.sh', 'stop');
    } catch {
      /* already stopped */
    }
    cleanup(stack);
  });

  test(`npm start runs the stack in ${mode} mode and says how to log in as the monitoring user`, { timeout: 120_000 }, async () => {
    npmStart = await startScript(stack, 'start.sh', ready, 110_000);
    loadGenerated(stack);
    const out = npmStart.output();
    ok(natsPid(stack), 'nats-server pidfile');
    const status = script(stack, 'nats-server.sh', 'status');
    if (mode === 'operator') {
      ok(out.includes(`operator mode (JWT, NATS_AUTH_MODE=operator)`), out);
      ok(status.includes(join(stack.env.NATS_OPERATOR_DIR!, 'nats-server.conf')), `runs the generated config:\n${status}`);
      const creds = join(stack.env.NATS_CREDS_DIR!, 'monitor.creds');
      equal(statSync(creds).mode & 0o777, 0o600, 'the .creds file is private');
      ok(script(stack, 'nats-server.sh', 'check').includes('valid'), 'check validates the generated config');
    } else {
      ok(out.includes('password mode (NATS_AUTH_MODE=password)'), out);
      ok(stack.settings.NATS_MONITOR_PASSWORD, 'a generated NATS_MONITOR_PASSWORD');
    }
    browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: chromiumArgs({ spki: stack.spki }),
    });
  });

  test(`the page logs in as the monitoring user (${mode}) and shows live data; refused logins show as auth errors`, { timeout: 90_000 }, async () => {
    ok(browser, 'the browser of the previous test');
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(stack.url);
    await loginAs(stack)(page);
    const varz = page.locator('nunect-varz');
    await varz.getByText('nunect-e2e').first().waitFor(STEP);
    // Every widget of the page gets its data with the monitoring user's rights.
    const widgets = ['nunect-varz', 'nunect-connz', 'nunect-subsz', 'nunect-jsz', 'nunect-routez', 'nunect-accounts', 'nunect-event-log'];
    await page
      .waitForFunction((tags) => tags.every((t) => (document.querySelector(t) as (Element & { state?: string }) | null)?.state === 'ready'), widgets, STEP)
      .catch(async (err: Error) => {
        const states = await page.evaluate(
          (tags) => tags.map((t) => `${t}: ${(document.querySelector(t) as (Element & { state?: string }) | null)?.state}`),
          widgets,
        );
        throw new Error(`widgets not ready: ${states.join(', ')} (${err.message})`);
      });
    // The sparklines open with the last hour: the Controller (OPS) answers ops.history.statsz,
    // which SYS imports, to the monitoring user.
    await page
      .waitForFunction(
        () => {
          const root = document.querySelector('nunect-varz')?.shadowRoot;
          return !!root?.querySelector('svg[part="sparkline"][aria-label="messages in per second, last hour"]') && !/history not/.test(root.textContent ?? '');
        },
        undefined,
        STEP,
      )
      .catch(async (err: Error) => {
        const text = await varz.evaluate((el) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 400));
        throw new Error(`no history in <nunect-varz>: ${text} (${err.message})`);
      });

    const log = page.locator('nunect-event-log');
    await log
      .getByText(/waiting for events|connect/i)
      .first()
      .waitFor(STEP);
    const probe = await connect({ servers: stack.wsUrl, ca: stack.ca, name: `auth-${mode}-probe`, ...auth(stack, 'bridge-service') });
    await log.getByText(`auth-${mode}-probe`).first().waitFor(STEP);
    await page.locator('nunect-connz').getByText(`auth-${mode}-probe`).first().waitFor(STEP);
    await probe.close();

    const refused = `auth-${mode}-refused`;
    const stranger = createUser();
    const bad: Partial<ConnectOptions> =
      mode === 'operator'
        ? { creds: new TextDecoder().decode(fmtCreds(await encodeUser('stranger', stranger, createAccount()), stranger)) }
        : { user: 'bridge', pass: 'wrong' };
    await rejects(() => connect({ servers: stack.wsUrl, ca: stack.ca, name: refused, timeout: 5_000, ...bad }), 'AUTHORIZATION');
    await log.locator('[data-type="auth-error"]', { hasText: refused }).first().waitFor(STEP);

    equal(errors.length, 0, `no page errors: ${errors.join('\n')}`);
    equal(
      await page
        .locator('nunect-connection')
        .getByText(/permission|denied/i)
        .count(),
      0,
      'no permission errors shown',
    );
    await context.close();
  });
  return { stack: () => stack, browser: () => browser };
}

/** GET a JSON monitoring path of the stack's server (HTTPS, the development CA). */
function monitorJson<T>(stack: Stack, path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`https://127.0.0.1:${stack.env.NATS_HTTPS_PORT}${path}`, { ca: stack.ca, timeout: 3_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The claims of the user JWT in a .creds file. */
function credsClaims(text: string): { sub: string; iss: string; name: string } {
  const jwt = /-----BEGIN NATS USER JWT-----\s*(\S+)/.exec(text)![1]!;
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; iss: string; name: string };
}

const select = async (page: Page, user?: string, pass?: string, credsFile?: string) => {
  if (credsFile) {
    await page.getByLabel('Log in with').selectOption('creds');
    await page.getByLabel('Credentials file').setInputFiles(credsFile);
  } else {
    await page.getByLabel('User', { exact: true }).fill(user!);
    await page.getByLabel('Password', { exact: true }).fill(pass!);
  }
  await page.getByRole('button', { name: /log in/i }).click();
};

describe(`manager with the monitoring user, operator mode (nats-server ${bin})`, () => {
  const suite = managerSuite(
    'operator',
    /Log in as monitor with the credentials file \S+monitor\.creds/,
    (stack) => {
      stack.env.NATS_AUTH_MODE = 'operator';
      stack.env.NATS_OPERATOR_DIR = join(stack.dir, 'operator');
      stack.env.NATS_CREDS_DIR = join(stack.dir, 'creds');
    },
    (stack) => (page) => select(page, undefined, undefined, join(stack.env.NATS_CREDS_DIR!, 'monitor.creds')),
    (stack, user) => ({ creds: readFileSync(join(stack.env.NATS_CREDS_DIR!, `${user}.creds`), 'utf8') }),
  );

  test('every user logs in from Chromium with its .creds file over WSS, into its own account', { timeout: 120_000 }, async () => {
    const stack = suite.stack();
    const browser = suite.browser();
    ok(browser, 'the browser of the first test');
    const dir = stack.env.NATS_CREDS_DIR!;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.creds'))
      .sort();
    // As many as the users of the password-mode config (one per `{ user: $…` line, not the comment's).
    const conf = readFileSync(join(ROOT, 'config/nats-server.conf'), 'utf8');
    const users = (conf.slice(conf.indexOf('# BEGIN password-mode accounts'), conf.indexOf('# END password-mode accounts')).match(/^\s*\{ user: \$/gm) ?? [])
      .length;
    ok(users > 10, `users in the config: ${users}`);
    equal(files.length, users, `one .creds file per user: ${files.join(' ')}`);
    for (const file of files) {
      const claims = credsClaims(readFileSync(join(dir, file), 'utf8'));
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(stack.url);
      await select(page, undefined, undefined, join(dir, file));
      await page
        .locator('nunect-connection')
        .getByRole('button', { name: /log out/i })
        .waitFor(STEP);
      const connz = await monitorJson<{ connections: Array<{ authorized_user?: string; account?: string; lang?: string }> }>(stack, '/connz?auth=1&limit=1024');
      const conn = connz.connections.find((c) => c.authorized_user === claims.sub);
      ok(conn, `${claims.name}: its browser connection is listed`);
      equal(conn.account, claims.iss, `${claims.name}: in the account that signed its JWT`);
      equal(conn.lang, 'nats.ws', `${claims.name}: over WebSocket`);
      await context.close();
    }
  });
});

describe(`manager with the monitoring user, password mode (nats-server ${bin})`, () => {
  managerSuite(
    'password',
    /Log in as monitor with NATS_MONITOR_PASSWORD from /,
    () => {},
    (stack) => (page) => select(page, stack.settings.NATS_MONITOR_USER!, stack.settings.NATS_MONITOR_PASSWORD!),
    (stack, user) => ({ user, pass: stack.settings.NATS_BRIDGE_SERVICE_PASSWORD! }),
  );
});
