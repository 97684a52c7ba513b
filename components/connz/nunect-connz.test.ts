import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './define.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import { CONNZ_COLUMNS, type NunectConnz } from './nunect-connz.js';
import type { ConnInfo } from '../../client/monitor-types.js';
import { NunectError } from '../../client/index.js';
import { asClient, FakeClient } from '../../test/support/fake-client.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import connz215 from '../../test/fixtures/2.15.2/connz.json' with { type: 'json' };
import connz29 from '../../test/fixtures/2.9.10/connz.json' with { type: 'json' };
import connzClosed29 from '../../test/fixtures/2.9.10/connz-closed.json' with { type: 'json' };

widgetSuite('nunect-connz', { kinds: ['CONNZ'], readyText: 'bridge-gateway' });

const HOSTILE = '<img src=x onerror=alert(1)>';

/** The remembered column choices (a sort chosen in the menu shows its column, and is remembered). */
function forgetColumns(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('nunect-connz-columns:') || key === 'other-page') localStorage.removeItem(key);
}
beforeEach(forgetColumns);
afterEach(forgetColumns);

type Body = Record<string, unknown>;

/** A synthetic connection, shaped like the server's. */
function conn(i: number, extra: Partial<ConnInfo> = {}): ConnInfo {
  return {
    cid: i + 1,
    kind: 'Client',
    type: 'nats',
    ip: '10.1.2.3',
    port: 40_000 + (i % 20_000),
    start: '2026-11-29T15:00:00Z',
    last_activity: '2026-11-29T15:05:00Z',
    uptime: '5m',
    idle: '0s',
    pending_bytes: 0,
    in_msgs: i,
    out_msgs: i,
    in_bytes: i * 10,
    out_bytes: i * 10,
    subscriptions: 1,
    name: `synthetic-${i + 1}`,
    lang: 'go',
    version: '1.37.0',
    authorized_user: 'engine',
    account: 'ENGINE',
    ...extra,
  };
}

/** A CONNZ reply envelope around `connections`, as one server sends it. */
function envelope(
  connections: ConnInfo[],
  opts: { offset?: number; limit?: number; total?: number; ver?: string; name?: string; id?: string; now?: string } = {},
) {
  return {
    server: { name: opts.name ?? 'nunect-fixture', id: opts.id ?? 'NSYNTHETIC', ver: opts.ver ?? '2.9.10' },
    data: {
      server_id: opts.id ?? 'NSYNTHETIC',
      now: opts.now ?? '2026-11-29T15:05:00Z',
      num_connections: connections.length,
      total: opts.total ?? connections.length,
      offset: opts.offset ?? 0,
      limit: opts.limit ?? connections.length,
      connections,
    },
  };
}

/** A server with `total` connections that honours offset and limit like nats-server. */
function pagingServer(total: number) {
  return (_subject: string, body: unknown) => {
    const b = body as Body;
    const offset = Number(b.offset ?? 0);
    const limit = Number(b.limit ?? 1024);
    const conns: ConnInfo[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) conns.push(conn(i));
    return [envelope(conns, { offset, limit, total })];
  };
}

async function mount(fake: FakeClient, attrs: { pageSize?: number } = {}): Promise<NunectConnz> {
  const provider = await fixture<NunectProvider>(
    html`<nunect-provider><nunect-connz .interval=${100} .pageSize=${attrs.pageSize ?? 50}></nunect-connz></nunect-provider>`,
  );
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-connz') as NunectConnz;
  await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
  return el;
}

function control<T extends HTMLElement>(el: NunectConnz, label: string, selector: string): T {
  const l = [...el.shadowRoot!.querySelectorAll('label')].find((x) => x.textContent?.includes(label));
  const c = l?.querySelector<T>(selector);
  if (!c) throw new Error(`no ${selector} labelled ${label}`);
  return c;
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

function rows(el: NunectConnz): HTMLTableRowElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr.conn')];
}

function rowNamed(el: NunectConnz, name: string): HTMLTableRowElement {
  const r = rows(el).find((x) => x.textContent?.includes(name));
  if (!r) throw new Error(`no row for ${name}: ${textOf(el)}`);
  return r;
}

function requested(fake: FakeClient, match: (b: Body) => boolean): boolean {
  return fake.requests.some((r) => r.subject.endsWith('.CONNZ') && match(r.body as Body));
}

describe('<nunect-connz>', () => {
  it('asks with auth for the users and accounts, and shows them with the client details', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    expect(requested(fake, (b) => b.auth === true && b.state === 0 && b.sort === 'cid' && b.offset === 0 && b.limit === 50)).to.equal(true);
    const row = rowNamed(el, 'engine-worker-1');
    expect(row.textContent).to.contain('ENGINE');
    expect(row.textContent).to.contain('engine');
    const worker = (connz29[0] as { data: { connections: Array<{ name?: string; ip: string; port: number }> } }).data.connections.find(
      (c) => c.name === 'engine-worker-1',
    )!;
    expect(row.textContent).to.contain(`${worker.ip}:${worker.port}`);
    expect(row.textContent).to.contain('websocket · nats.ws 3.4.0');
    expect(textOf(el)).to.match(/1–5 of 5/);
  });

  it('renders a hostile client name as text, never as markup', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    expect(el.shadowRoot!.querySelector('img'), 'an <img> element').to.equal(null);
    expect(textOf(el)).to.contain(HOSTILE);
    expect(rowNamed(el, HOSTILE).querySelector('td[title]')?.getAttribute('title')).to.equal(HOSTILE);
  });

  it('sends the chosen sort key to the server and shows the direction the server uses', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    expect(textOf(el)).to.contain('ascending, lowest first');
    choose(control<HTMLSelectElement>(el, 'Sort by', 'select'), 'msgs_from');
    await waitUntil(() => requested(fake, (b) => b.sort === 'msgs_from'), 'a request sorted by msgs_from');
    await el.updateComplete;
    expect(textOf(el)).to.contain('descending, most first');
    const header = el.shadowRoot!.querySelector('th[aria-sort]');
    expect(header?.textContent).to.contain('Msgs in');
    expect(header?.getAttribute('aria-sort')).to.equal('descending');
    // A column header sorts too.
    el.shadowRoot!.querySelector<HTMLButtonElement>('th button[data-sort="subs"]')!.click();
    await waitUntil(() => requested(fake, (b) => b.sort === 'subs'), 'a request sorted by subs');
  });

  it('pages with offset and limit and shows the range', async () => {
    const fake = new FakeClient();
    fake.respond('CONNZ', pagingServer(1234));
    const el = await mount(fake);
    await waitUntil(() => /1–50 of 1[,.\s\u202f]?234/.test(textOf(el)), `range 1–50 of 1,234: ${textOf(el)}`);
    expect(rows(el)).to.have.length(50);
    const next = el.shadowRoot!.querySelector<HTMLButtonElement>('button.next')!;
    const prev = el.shadowRoot!.querySelector<HTMLButtonElement>('button.prev')!;
    expect(prev.disabled).to.equal(true);
    next.click();
    await waitUntil(() => requested(fake, (b) => b.offset === 50 && b.limit === 50), 'a request for the second page');
    await waitUntil(() => /51–100 of 1[,.\s\u202f]?234/.test(textOf(el)), `range 51–100: ${textOf(el)}`);
    expect(rows(el)[0]!.textContent).to.contain('synthetic-51');
    prev.click();
    await waitUntil(() => /1–50 of/.test(textOf(el)), 'back on the first page');
  });

  it('renders only the rows in view of a 1,000-row page, and every row is reachable by scrolling and keys', async () => {
    const fake = new FakeClient();
    fake.respond('CONNZ', pagingServer(1000));
    const el = await mount(fake, { pageSize: 1000 });
    await waitUntil(() => rows(el)[0]?.textContent?.includes('synthetic-1'), 'the first row');
    const table = el.shadowRoot!.querySelector('table')!;
    const scroller = el.shadowRoot!.querySelector<HTMLElement>('.scroll.virtual')!;
    expect(scroller, 'a virtual scroller').to.exist;
    expect(table.getAttribute('aria-rowcount')).to.equal('1001');
    const rendered = rows(el).length;
    expect(rendered).to.be.greaterThan(5).and.lessThan(120);
    // The body is as tall as all rows: the spacer below stands for the ones not rendered.
    expect(scroller.scrollHeight).to.be.greaterThan(rows(el)[0]!.getBoundingClientRect().height * 900);
    expect(rows(el)[0]!.getAttribute('aria-rowindex')).to.equal('2');
    scroller.scrollTop = scroller.scrollHeight;
    await waitUntil(() => rows(el).some((r) => r.textContent?.includes('synthetic-1000')), 'the last row after scrolling');
    expect(rows(el).length).to.be.lessThan(120);
    expect(rows(el).at(-1)!.getAttribute('aria-rowindex')).to.equal('1001');
    // Keys move through the window: ArrowUp from the last row reaches a row rendered only now.
    rows(el).at(-1)!.focus();
    const top = Number(rows(el)[0]!.getAttribute('aria-rowindex'));
    for (let i = 0; i < rendered + 5; i++) await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => Number(rows(el)[0]!.getAttribute('aria-rowindex')) < top, 'rows above rendered as the focus moved up');
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused.matches('tr.conn')).to.equal(true);
    expect(Number(focused.getAttribute('aria-rowindex'))).to.equal(1001 - rendered - 5);
    // Opening a row still works in the window.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.querySelector('tr.detail'), 'the detail row');
  });

  it('keeps a page of fewer than 100 rows whole (find in page works)', async () => {
    const fake = new FakeClient();
    fake.respond('CONNZ', pagingServer(99));
    const el = await mount(fake, { pageSize: 100 });
    await waitUntil(() => rows(el).length === 99, `99 rows: ${rows(el).length}`);
    expect(el.shadowRoot!.querySelector('.scroll.virtual')).to.equal(null);
    expect(el.shadowRoot!.querySelector('table')!.hasAttribute('aria-rowcount')).to.equal(false);
  });

  it('filters by state: closed connections with their stop time and reason', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    fake.respond('CONNZ', (_s, body) => ((body as Body).state === 1 ? structuredClone(connzClosed29) : structuredClone(connz29)));
    choose(control<HTMLSelectElement>(el, 'Show', 'select'), 'closed');
    await waitUntil(() => requested(fake, (b) => b.state === 1), 'a request for closed connections');
    await waitUntil(() => textOf(el).includes('short-lived'), `the closed connection: ${textOf(el)}`);
    expect(textOf(el)).to.contain('Client Closed');
    expect([...el.shadowRoot!.querySelectorAll('th')].map((t) => t.textContent?.trim())).to.include.members(['Stop', 'Reason']);
    // Closed connections may be sorted by stop time and reason.
    const sort = control<HTMLSelectElement>(el, 'Sort by', 'select');
    expect([...sort.options].map((o) => o.value)).to.include.members(['stop', 'reason']);
    choose(sort, 'reason');
    await waitUntil(() => requested(fake, (b) => b.state === 1 && b.sort === 'reason'), 'a request sorted by reason');
    await expect(el).to.be.accessible();
  });

  it('filters by account on the server, suggesting the accounts seen', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    const options = [...el.shadowRoot!.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
    expect(options).to.include.members(['BRIDGE', 'ENGINE', 'PROVISION', 'SYS']);
    const input = control<HTMLInputElement>(el, 'Account', 'input');
    input.value = 'ENGINE';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => requested(fake, (b) => b.acc === 'ENGINE' && b.offset === 0), 'a request with acc ENGINE');
    expect(el.account).to.equal('ENGINE');
  });

  it('filters by client name over the first 1,024 connections, saying so', async () => {
    const fake = new FakeClient();
    fake.respond('CONNZ', pagingServer(3000));
    const el = await mount(fake);
    const input = control<HTMLInputElement>(el, 'Client name', 'input');
    input.value = 'synthetic-10';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await waitUntil(() => requested(fake, (b) => b.limit === 1024 && b.offset === 0), 'a scan of 1,024 connections');
    // synthetic-10, -100…-109, -1000…-1024 within the first 1,024: 1 + 10 + 25 = 36 matches.
    await waitUntil(() => /1–36 of 36 matching/.test(textOf(el)), `36 matches: ${textOf(el)}`);
    expect(textOf(el)).to.match(/name filter applies to the first 1[,.\s\u202f]?024 of 3[,.\s\u202f]?000 connections/);
    expect(rows(el).every((r) => r.textContent!.includes('synthetic-10'))).to.equal(true);
  });

  it('computes per-connection rates from counter deltas between polls over the server clock', async () => {
    const fake = new FakeClient();
    let n = 0;
    fake.respond('CONNZ', () => {
      // Each poll: the server clock advances 2 s; cid 1 gets 200 messages and 4 KiB more.
      const now = new Date(Date.parse('2026-11-29T10:00:00Z') + n * 2_000).toISOString();
      const busy = conn(0, { name: 'busy', in_msgs: 1_000 + n * 200, in_bytes: 10_000 + n * 4_096 });
      const quiet = conn(1, { name: 'quiet', in_msgs: 5, in_bytes: 50 });
      n++;
      return [envelope([busy, quiet], { now })];
    });
    const el = await mount(fake);
    await waitUntil(() => /100\/s/.test(rowNamed(el, 'busy').textContent ?? ''), `a rate of 100/s: ${textOf(el)}`, { timeout: 3_000 });
    expect(rowNamed(el, 'busy').textContent).to.contain('2 KiB/s');
    expect(rowNamed(el, 'quiet').textContent).to.contain('0/s');
  });

  it('opens a detail row from the keyboard with the subscriptions, and closes it again', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    const row = rowNamed(el, 'bridge-gateway');
    expect(row.getAttribute('aria-expanded')).to.equal('false');
    row.focus();
    const selected = oneEvent(el, 'nunect-connection-select');
    await sendKeys({ press: 'Enter' });
    const event = (await selected) as CustomEvent<{ cid: number; server: string }>;
    expect(event.detail).to.include({ cid: 8, server: 'nunect-fixture' });
    await el.updateComplete;
    expect(rowNamed(el, 'bridge-gateway').getAttribute('aria-expanded')).to.equal('true');
    await waitUntil(() => el.shadowRoot!.querySelector('[part="subscriptions"]')?.textContent?.includes('bridge.in.>'), `subscriptions: ${textOf(el)}`);
    expect(el.shadowRoot!.querySelector('[part="subscriptions"]')!.textContent).to.contain('ops.log.>');
    expect(requested(fake, (b) => b.cid === 8 && b.subscriptions_detail === true)).to.equal(true);
    await expect(el).to.be.accessible();
    // Down moves to the next row, Space opens it (and closes the first).
    await sendKeys({ press: 'ArrowDown' });
    expect(el.shadowRoot!.activeElement?.textContent).to.contain('engine-worker-1');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(rowNamed(el, 'bridge-gateway').getAttribute('aria-expanded')).to.equal('false');
    expect(rowNamed(el, 'engine-worker-1').getAttribute('aria-expanded')).to.equal('true');
    await waitUntil(() => el.shadowRoot!.querySelector('[part="subscriptions"]')?.textContent?.includes('engine.jobs.*'), 'subscriptions of engine-worker-1');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('tr.detail')).to.equal(null);
    // The subscriptions are only asked for while a row is open.
    await new Promise((r) => setTimeout(r, 150));
    const since = fake.requests.length;
    await new Promise((r) => setTimeout(r, 350));
    expect(fake.requests.slice(since).some((r) => (r.body as Body).cid !== undefined)).to.equal(false);
  });

  it('offers the rtt sort only on servers from 2.10 on', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    const values = () => [...control<HTMLSelectElement>(el, 'Sort by', 'select').options].map((o) => o.value);
    expect(values()).to.not.include('rtt');
    expect(values()).to.not.include('stop');
    fake.respond('CONNZ', connz215 as unknown[]);
    await waitUntil(() => values().includes('rtt'), 'rtt offered by 2.15.2');
    expect(textOf(el)).to.contain('nats-server 2.15.2');
    choose(control<HTMLSelectElement>(el, 'Sort by', 'select'), 'rtt');
    await waitUntil(() => requested(fake, (b) => b.sort === 'rtt'), 'a request sorted by rtt');
  });

  it('renders only one page of rows from a reply of 10,000 connections', async () => {
    const fake = new FakeClient();
    const all: ConnInfo[] = Array.from({ length: 10_000 }, (_, i) => conn(i));
    // A reply that ignores the limit: every connection at once.
    fake.respond('CONNZ', () => [envelope(all, { limit: 10_000 })]);
    const el = await mount(fake, { pageSize: 50 });
    expect(rows(el)).to.have.length(50);
    expect(textOf(el)).to.match(/1–50 of 10[,.\s\u202f]?000/);
    expect(textOf(el)).to.contain('synthetic-50');
    expect(textOf(el)).to.not.contain('synthetic-51 ');
  });

  it('in a cluster, a server chosen in the selector is shown alone, asked alone', async () => {
    const fake = new FakeClient();
    const a = envelope([conn(0, { name: 'on-alpha' })], { name: 'alpha', id: 'NALPHA' });
    const b = envelope([conn(0, { name: 'on-beta' })], { name: 'beta', id: 'NBETA' });
    fake.respond('CONNZ', (subject) =>
      subject.includes('.NBETA.') ? [structuredClone(b)] : subject.includes('.NALPHA.') ? [structuredClone(a)] : [structuredClone(a), structuredClone(b)],
    );
    // The page's own connection is attached to alpha.
    (fake.info as { server_id: string }).server_id = 'NALPHA';
    const el = await mount(fake);
    // Every server answers the survey: the whole cluster's list, with a Server column and selector.
    await waitUntil(() => [...el.shadowRoot!.querySelectorAll('th')].some((t) => t.textContent?.trim() === 'Server'), 'a Server column');
    choose(control<HTMLSelectElement>(el, 'Server', 'select'), 'alpha');
    await waitUntil(() => fake.requests.some((r) => r.subject === '$SYS.REQ.SERVER.NALPHA.CONNZ'), 'a request to alpha alone');
    await waitUntil(() => textOf(el).includes('on-alpha') && !textOf(el).includes('on-beta'), `alpha alone: ${textOf(el)}`);
    choose(control<HTMLSelectElement>(el, 'Server', 'select'), 'beta');
    await waitUntil(() => fake.requests.some((r) => r.subject === '$SYS.REQ.SERVER.NBETA.CONNZ'), 'a request to beta alone');
    await waitUntil(() => textOf(el).includes('on-beta'), 'the page of beta');
    expect(el.serverName).to.equal('beta');
  });

  it('falls back to PING, without an error, for a user who may not ask one server alone', async () => {
    const fake = new FakeClient();
    const fixture29 = structuredClone(connz29);
    // Outside the system account only $SYS.REQ.SERVER.PING.CONNZ is imported.
    fake.respond('CONNZ', (subject) => {
      if (!subject.startsWith('$SYS.REQ.SERVER.PING.')) throw new NunectError('NO_RESPONDERS', `no responders on ${subject}`);
      return structuredClone(fixture29);
    });
    const provider = await fixture<NunectProvider>(html`<nunect-provider><nunect-connz .interval=${100}></nunect-connz></nunect-provider>`);
    const el = provider.querySelector('nunect-connz') as NunectConnz;
    const states: string[] = [];
    el.addEventListener('nunect-state-change', (e) => states.push((e as CustomEvent<{ state: string }>).detail.state));
    provider.client = asClient(fake);
    await waitUntil(() => fake.requests.some((r) => !r.subject.includes('.PING.')), 'a request to the server alone');
    await new Promise((r) => setTimeout(r, 400));
    expect(el.state).to.equal('ready');
    // Straight to ready and staying there: the refused request is not shown as an error.
    expect(
      states.filter((s) => s === 'stale' || s === 'error'),
      `states: ${states.join(', ')}`,
    ).to.deep.equal([]);
    expect(states).to.include('ready');
    expect(textOf(el)).to.contain('bridge-gateway');
    const last = fake.requests.slice(-2);
    expect(
      last.every((r) => r.subject === '$SYS.REQ.SERVER.PING.CONNZ'),
      JSON.stringify(last),
    ).to.equal(true);
  });
});

const STORAGE_PREFIX = 'nunect-connz-columns:';
const DEFAULT_KEY = `${STORAGE_PREFIX}${location.pathname}`;

/** The header labels, in order. */
function headers(el: NunectConnz): string[] {
  return [...el.shadowRoot!.querySelectorAll('thead th')].map((t) =>
    (t.textContent ?? '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/ [↑↓]$/, ''),
  );
}

/** Header labels of the default columns (open connections, one server). */
const DEFAULT_HEADERS = ['Name', 'CID', 'Account', 'User', 'Address', 'Client', 'Uptime', 'Subs', 'Msgs/s in', 'Msgs/s out', 'Bytes/s in', 'Bytes/s out'];

function columnsButton(el: NunectConnz): HTMLButtonElement {
  const b = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="columns-button"]');
  if (!b) throw new Error(`no columns button: ${textOf(el)}`);
  return b;
}

function columnBox(el: NunectConnz, label: string): HTMLInputElement {
  const l = [...el.shadowRoot!.querySelectorAll('[part="columns-menu"] label')].find((x) => x.textContent?.replace(/\s+/g, ' ').trim().startsWith(label));
  const box = l?.querySelector<HTMLInputElement>('input[type="checkbox"]');
  if (!box) throw new Error(`no checkbox for ${label}`);
  return box;
}

async function toggleColumn(el: NunectConnz, label: string): Promise<void> {
  const box = columnBox(el, label);
  box.click();
  await el.updateComplete;
}

async function mountIn(template: ReturnType<typeof html>, fake: FakeClient): Promise<NunectConnz> {
  const wrapper = await fixture<HTMLElement>(template);
  const provider = wrapper.localName === 'nunect-provider' ? (wrapper as NunectProvider) : wrapper.querySelector<NunectProvider>('nunect-provider')!;
  provider.client = asClient(fake);
  const el = provider.querySelector('nunect-connz') as NunectConnz;
  await waitUntil(() => el.state === 'ready', `ready (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
  return el;
}

describe('<nunect-connz>: columns and layout', () => {
  it('shows the default columns, name first, and lists every column in the chooser', async () => {
    const el = await mount(new FakeClient());
    expect(headers(el)).to.deep.equal(DEFAULT_HEADERS);
    const button = columnsButton(el);
    expect(button.textContent).to.contain('Columns');
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    const menu = el.shadowRoot!.querySelector<HTMLElement>('[part="columns-menu"]')!;
    expect(menu.hidden).to.equal(true);
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(menu.hidden).to.equal(false);
    const boxes = [...menu.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    // Every column of open connections on one server (not server, stop, reason).
    expect(boxes.map((b) => b.value)).to.deep.equal(CONNZ_COLUMNS.filter((id) => !['server', 'stop', 'reason'].includes(id)));
    // The name column cannot be hidden.
    expect(columnBox(el, 'Name').disabled).to.equal(true);
    expect(columnBox(el, 'Name').checked).to.equal(true);
    await expect(el).to.be.accessible();
    // Escape closes the chooser and gives the focus back to its button.
    columnBox(el, 'Client').focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(menu.hidden).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(button);
  });

  it('hides and shows a column from the chooser: the header and the cells follow', async () => {
    const el = await mount(new FakeClient());
    columnsButton(el).click();
    await el.updateComplete;
    const cells = () => rowNamed(el, 'engine-worker-1').cells.length;
    expect(cells()).to.equal(DEFAULT_HEADERS.length);
    await toggleColumn(el, 'Client');
    expect(headers(el)).to.not.include('Client');
    expect(cells()).to.equal(DEFAULT_HEADERS.length - 1);
    expect(rowNamed(el, 'engine-worker-1').textContent).to.not.contain('websocket · nats.ws 3.4.0');
    expect(el.columns).to.not.include('client');
    await toggleColumn(el, 'Client');
    expect(headers(el)).to.deep.equal(DEFAULT_HEADERS);
    expect(rowNamed(el, 'engine-worker-1').textContent).to.contain('websocket · nats.ws 3.4.0');
    // A hidden column is shown in its place.
    await toggleColumn(el, 'Bytes in');
    expect(headers(el).indexOf('Bytes in')).to.equal(headers(el).indexOf('Msgs/s out') + 1);
    expect(cells()).to.equal(DEFAULT_HEADERS.length + 1);
    // Show all, and back to the defaults.
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="columns-menu"] .columns-actions button')!.click();
    await el.updateComplete;
    expect(headers(el)).to.have.length(CONNZ_COLUMNS.length - 3);
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="columns-menu"] .columns-actions button')]
      .find((b) => b.textContent?.includes('Defaults'))!
      .click();
    await el.updateComplete;
    expect(headers(el)).to.deep.equal(DEFAULT_HEADERS);
  });

  it('remembers the choice per page in localStorage; another storage key is independent', async () => {
    let el = await mount(new FakeClient());
    columnsButton(el).click();
    await el.updateComplete;
    await toggleColumn(el, 'Address');
    await toggleColumn(el, 'RTT');
    const stored = JSON.parse(localStorage.getItem(DEFAULT_KEY) ?? 'null') as string[];
    expect(stored).to.include('rtt');
    expect(stored).to.not.include('address');
    // Only the column ids are stored, under that key alone.
    expect(stored.every((id) => CONNZ_COLUMNS.includes(id))).to.equal(true);
    expect(Object.keys(localStorage).filter((k) => k.startsWith(STORAGE_PREFIX))).to.deep.equal([DEFAULT_KEY]);
    const chosen = headers(el);
    expect(chosen).to.include('RTT');
    expect(chosen).to.not.include('Address');

    // A new element on the same page starts with that choice.
    el = await mount(new FakeClient());
    expect(headers(el)).to.deep.equal(chosen);

    // Another key starts with the defaults and its choice does not touch the first one.
    el = await mountIn(html`<nunect-provider><nunect-connz .interval=${100} storage-key="other-page"></nunect-connz></nunect-provider>`, new FakeClient());
    expect(headers(el)).to.deep.equal(DEFAULT_HEADERS);
    columnsButton(el).click();
    await el.updateComplete;
    await toggleColumn(el, 'Uptime');
    expect(JSON.parse(localStorage.getItem('other-page') ?? 'null')).to.not.include('uptime');
    expect(JSON.parse(localStorage.getItem(DEFAULT_KEY) ?? 'null')).to.deep.equal(stored);
  });

  it('falls back to the defaults when storage holds garbage or is unavailable', async () => {
    for (const garbage of ['{not json', '"cid"', '42', '{"cid":true}', '[1,2,3]', '["no-such-column"]', 'null', 'x'.repeat(10_000)]) {
      localStorage.setItem(DEFAULT_KEY, garbage);
      const el = await mount(new FakeClient());
      expect(headers(el), garbage.slice(0, 40)).to.deep.equal(DEFAULT_HEADERS);
    }
    // Unknown ids next to known ones are ignored.
    localStorage.setItem(DEFAULT_KEY, JSON.stringify(['subs', 'gone-column']));
    expect(headers(await mount(new FakeClient()))).to.deep.equal(['Name', 'Subs']);
    // Storage that throws (disabled, or a sandboxed frame): defaults, and a choice still works.
    const getItem = Storage.prototype.getItem;
    const setItem = Storage.prototype.setItem;
    Storage.prototype.getItem = () => {
      throw new DOMException('denied', 'SecurityError');
    };
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      const el = await mount(new FakeClient());
      expect(headers(el)).to.deep.equal(DEFAULT_HEADERS);
      columnsButton(el).click();
      await el.updateComplete;
      await toggleColumn(el, 'Uptime');
      expect(headers(el)).to.not.include('Uptime');
    } finally {
      Storage.prototype.getItem = getItem;
      Storage.prototype.setItem = setItem;
    }
  });

  it('takes the visible columns from the columns property and attribute, over the remembered choice', async () => {
    localStorage.setItem(DEFAULT_KEY, JSON.stringify(['cid']));
    const el = await mount(new FakeClient());
    expect(headers(el)).to.deep.equal(['Name', 'CID']);
    el.columns = ['bytes_in', 'subs', 'name'];
    await el.updateComplete;
    // Table order, whatever the order given.
    expect(headers(el)).to.deep.equal(['Name', 'Subs', 'Bytes in']);
    expect(rowNamed(el, 'bridge-gateway').cells).to.have.length(3);
    el.columns = [];
    await el.updateComplete;
    expect(headers(el)).to.deep.equal(['Name']);
    el.columns = undefined;
    await el.updateComplete;
    expect(headers(el)).to.deep.equal(['Name', 'CID']);
    // As an attribute: ids separated by spaces or commas, or a JSON list.
    const a = await mountIn(
      html`<nunect-provider><nunect-connz .interval=${100} columns="uptime, cid  user"></nunect-connz></nunect-provider>`,
      new FakeClient(),
    );
    expect(headers(a)).to.deep.equal(['Name', 'CID', 'User', 'Uptime']);
    a.setAttribute('columns', '["pending"]');
    await a.updateComplete;
    expect(headers(a)).to.deep.equal(['Name', 'Pending']);
  });

  it('shows the column of a sort chosen in the menu; a detail row spans the visible columns', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    expect(headers(el)).to.not.include('Bytes out');
    choose(control<HTMLSelectElement>(el, 'Sort by', 'select'), 'bytes_to');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('th[aria-sort]')?.textContent).to.contain('Bytes out');
    rowNamed(el, 'bridge-gateway').click();
    await el.updateComplete;
    const span = () => Number(el.shadowRoot!.querySelector('tr.detail > td')!.getAttribute('colspan'));
    expect(span()).to.equal(headers(el).length);
    expect(span()).to.equal(DEFAULT_HEADERS.length + 1);
    el.columns = ['cid', 'subs'];
    await el.updateComplete;
    expect(span()).to.equal(3);
    expect(el.shadowRoot!.querySelector('tr.detail')).to.not.equal(null);
  });

  it('keeps the name column in view (sticky, opaque in light and dark) and scrolls the table inside the card', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div style="width: 1280px">
        <nunect-provider><nunect-connz .interval=${100}></nunect-connz></nunect-provider>
      </div>`,
    );
    const provider = wrapper.querySelector<NunectProvider>('nunect-provider')!;
    provider.client = asClient(new FakeClient());
    const el = provider.querySelector('nunect-connz') as NunectConnz;
    await waitUntil(() => el.state === 'ready', `ready: ${textOf(el)}`, { timeout: 3_000 });
    await el.updateComplete;
    const root = el.shadowRoot!;
    const scroller = root.querySelector<HTMLElement>('.scroll')!;
    expect(getComputedStyle(scroller).overflowX).to.equal('auto');
    // The header row stays sticky too.
    expect(getComputedStyle(root.querySelector('thead')!).position).to.equal('sticky');
    const nameHeader = root.querySelector<HTMLElement>('thead th')!;
    const nameCell = rowNamed(el, 'bridge-gateway').cells[0]!;
    expect(nameCell.textContent).to.contain('bridge-gateway');
    for (const scheme of ['light', 'dark']) {
      wrapper.style.colorScheme = scheme;
      for (const cell of [nameHeader, nameCell]) {
        const style = getComputedStyle(cell);
        expect(style.position, `${scheme} ${cell.localName}`).to.equal('sticky');
        expect(style.left).to.equal('0px');
        // Opaque: rgb(), or rgba with alpha 1.
        expect(style.backgroundColor, `${scheme} ${cell.localName} background`).to.match(/^rgb\(|^rgba\(.*, 1\)$/);
      }
    }
    wrapper.style.colorScheme = '';
    // The defaults fit a 1280-px card, or scroll only a little.
    expect(el.scrollWidth, 'the card never overflows').to.be.at.most(el.clientWidth);
    expect(scroller.scrollWidth - scroller.clientWidth, 'default columns at 1280 px').to.be.at.most(160);
    // With every column the table scrolls inside its own box; the card still does not overflow.
    el.columns = [...CONNZ_COLUMNS];
    await el.updateComplete;
    expect(scroller.scrollWidth).to.be.greaterThan(scroller.clientWidth);
    expect(el.scrollWidth).to.be.at.most(el.clientWidth);
    // Scrolled to the end, the name column is still at the scroller's left edge.
    scroller.scrollLeft = scroller.scrollWidth;
    await waitUntil(() => scroller.scrollLeft > 0, 'scrolled sideways');
    const left = scroller.getBoundingClientRect().left;
    expect(Math.abs(nameCell.getBoundingClientRect().left - left)).to.be.at.most(1);
    expect(Math.abs(nameHeader.getBoundingClientRect().left - left)).to.be.at.most(1);
    // On a phone-sized card too.
    wrapper.style.width = '360px';
    await waitUntil(() => el.clientWidth < 400, 'narrow card');
    expect(el.scrollWidth, 'a 360-px card does not overflow').to.be.at.most(el.clientWidth);
  });
});
