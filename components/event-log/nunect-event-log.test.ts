/**
 * <nunect-event-log> is a subscription widget, so the shared (polling) widget suite does not fit;
 * these tests cover the same ground for it: states with accessibility in each, cleanup, and the
 * log's own behaviour (filters, pause, eviction counts, export, hostile names).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ManualClock, NunectError, type SubscribeOptions } from '../../client/index.js';
import '../provider/define.js';
import type { NunectProvider } from '../provider/nunect-provider.js';
import './define.js';
import { EVENT_SUBJECTS, type EventLogPauseDetail, type NunectEventLog } from './nunect-event-log.js';
import events29 from '../../test/fixtures/2.9.10/events.json' with { type: 'json' };
import events215 from '../../test/fixtures/2.15.2/events.json' with { type: 'json' };
import { asClient, FakeClient } from '../../test/support/fake-client.js';
import { textOf } from '../../test/support/widget-suite.js';
import { formatRtt } from '../../src/monitor/format.js';

type Fixture = Array<{ subject: string; data: Record<string, unknown> }>;
const EVENTS29 = events29 as Fixture;
const EVENTS215 = events215 as Fixture;
/** Events shown by default: all but the $G echoes (7 in 2.9.10, 1 in 2.15.2). */
const SHOWN29 = 30;
const SHOWN215 = 30;

/** A clock at the time of the last captured 2.9.10 event: "today" is the capture's day, in any time zone. */
function captureDay(): ManualClock {
  return new ManualClock(String(EVENTS29.at(-1)!.data.timestamp));
}

/**
 * Mounts a log in a provider. The log is made tall enough for every row to be in view (only rows
 * in view are rendered), unless `height` says otherwise.
 */
async function mount(client?: FakeClient, attrs: Partial<NunectEventLog> = {}, height = '4000px', clock = captureDay()): Promise<NunectEventLog> {
  const provider = await fixture<NunectProvider>(
    html`<nunect-provider .clock=${clock}><nunect-event-log style=${`--nunect-event-log-height: ${height}`}></nunect-event-log></nunect-provider>`,
  );
  const el = provider.querySelector('nunect-event-log')!;
  Object.assign(el, attrs);
  if (client) provider.client = asClient(client);
  return el;
}

async function stateIs(el: NunectEventLog, state: string): Promise<void> {
  await waitUntil(() => el.state === state, `state ${state} (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  await el.updateComplete;
}

/** Emits fixture events and waits until the log has taken them in and rendered. */
async function deliver(el: NunectEventLog, fake: FakeClient, events: Fixture): Promise<void> {
  const target = el.received + events.length;
  for (const e of events) fake.emit(e.subject, e.data);
  await waitUntil(() => el.received === target, `received ${target} (is ${el.received})`, { timeout: 3_000 });
  await settled(el);
}

/** Waits until the rendered rows are all the listed ones (the log has measured its height). */
async function settled(el: NunectEventLog): Promise<void> {
  await el.updateComplete;
  await waitUntil(
    () => {
      const table = el.shadowRoot!.querySelector('[role="table"]');
      return !table || rows(el).length === Number(table.getAttribute('aria-rowcount')) - 1;
    },
    'every listed row rendered',
    { timeout: 3_000 },
  );
}

function rows(el: NunectEventLog): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('.body [role="row"]')];
}

function rowTexts(el: NunectEventLog): string[] {
  return rows(el).map((r) => (r.textContent ?? '').replace(/\s+/g, ' ').trim());
}

function counts(el: NunectEventLog): string {
  return (el.shadowRoot!.querySelector('[part="counts"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function button(el: NunectEventLog, name: string): HTMLButtonElement {
  const b = [...el.shadowRoot!.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  expect(b, `a ${name} button`).to.exist;
  return b!;
}

function checkbox(el: NunectEventLog, label: string): HTMLInputElement {
  const l = [...el.shadowRoot!.querySelectorAll('label')].find((x) => x.textContent?.replace(/\s+/g, ' ').trim() === label);
  expect(l, `a ${label} checkbox`).to.exist;
  return l!.querySelector('input')!;
}

/** A connect event with a given client name and account (fixture shape). */
function connect(name: string, acc = 'ENGINE'): Fixture[number] {
  const base = structuredClone(EVENTS29.find((e) => e.subject.endsWith('.CONNECT'))!);
  (base.data.client as Record<string, unknown>).name = name;
  (base.data.client as Record<string, unknown>).acc = acc;
  return { subject: `$SYS.ACCOUNT.${acc}.CONNECT`, data: base.data };
}

/** A fake whose $SYS subscriptions are refused, as for a user outside the system account. */
function refusingClient(): FakeClient {
  const fake = new FakeClient();
  const subscribe = fake.subscribe.bind(fake);
  fake.subscribe = (subject: string, options: SubscribeOptions = {}) => {
    const sub = subscribe(subject, options);
    setTimeout(() => options.onError?.(new NunectError('PERMISSION_DENIED', `Permissions Violation for Subscription to "${subject}"`)));
    return sub;
  };
  return fake;
}

describe('<nunect-event-log>: states', () => {
  it('says it is not connected when nothing is configured, accessibly', async () => {
    const el = await mount();
    await stateIs(el, 'unconfigured');
    expect(textOf(el)).to.match(/No NATS server configured|Not connected/);
    await expect(el).to.be.accessible();
  });

  it('waits for events only once the server has its subscriptions (a flush came back)', async () => {
    const fake = new FakeClient();
    let release!: () => void;
    fake.flush = () => new Promise<void>((r) => (release = r));
    const el = await mount(fake);
    await waitUntil(() => fake.openSubs.length === EVENT_SUBJECTS.length, 'subscribed');
    await el.updateComplete;
    expect(el.state, 'subscribed, not yet confirmed').to.equal('loading');
    expect(textOf(el)).to.not.contain('Waiting for events');
    release();
    await stateIs(el, 'ready');
    expect(textOf(el)).to.contain('Waiting for events…');
  });

  it('subscribes to the four $SYS event subjects and waits for events, accessibly', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    expect(fake.openSubs.map((s) => s.subject)).to.have.members([...EVENT_SUBJECTS]);
    expect(textOf(el)).to.contain('Waiting for events…');
    expect(counts(el)).to.contain('0 received · 0 evicted (buffer 1,000)');
    await expect(el).to.be.accessible();
  });

  it('shows the events of nats-server 2.9.10 as readable rows, newest first, accessibly', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    expect(textOf(el)).to.not.contain('Waiting for events');
    expect(counts(el)).to.contain(`${EVENTS29.length} received · 0 evicted`);
    expect(counts(el)).to.contain(`showing ${SHOWN29} of ${SHOWN29} matching`);
    const texts = rowTexts(el);
    expect(texts).to.have.length(SHOWN29);
    // Newest first: the auth error is the last event of the capture.
    expect(texts[0]).to.match(/^\d\d:\d\d:\d\d\.\d{3}/);
    expect(texts[0]).to.not.match(/^\d{4}-/, 'an event of today shows no date');
    expect(texts[0]).to.contain('Auth error').and.contain('bad-password').and.contain('bridge').and.contain('Authentication Failure');
    const disconnect = texts.find((t) => t.includes('Disconnect'))!;
    expect(disconnect).to.contain('short-lived').and.contain('PROVISION').and.contain('127.0.0.1').and.contain('Client Closed');
    expect(disconnect).to.contain('websocket · nats.ws 3.4.0');
    const shortLived = EVENTS29.find((e) => e.subject.endsWith('.DISCONNECT') && (e.data.client as { name?: string }).name === 'short-lived')!;
    expect(disconnect).to.contain(`RTT ${formatRtt((shortLived.data.client as { rtt: number }).rtt / 1e6)}`);
    expect(disconnect).to.match(/Client Closed · RTT [\d.]+ (ms|µs) · sent \d+ msgs? \([\d.,]+ (B|KiB)\) · received \d+ msgs? \(/);
    const bridge = texts.find((t) => t.includes('bridge-gateway'))!;
    expect(bridge).to.contain('Connect').and.contain('nunect-fixture').and.contain('BRIDGE');
    expect(texts.some((t) => t.includes('Account conns') && t.includes('1 connection · 0 leaf nodes · 1 total'))).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('shows what an administrator did from a page (ops.audit.<action>) as an Admin action row', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    const record = {
      time: String(EVENTS29.at(-1)!.data.timestamp),
      action: 'kick',
      who: 'admin',
      target: { serverId: 'NX', server: 'nunect-e2e-2', cid: 12, client: '<b>kick-me</b>', account: 'BRIDGE' },
      outcome: 'ok',
    };
    await deliver(el, fake, [{ subject: 'ops.audit.kick', data: record }]);
    const row = rowTexts(el)[0]!;
    expect(row).to.contain('Admin action').and.contain('admin').and.contain('nunect-e2e-2').and.contain('Disconnect: ok');
    expect(row).to.contain('<b>kick-me</b>', 'server-provided text stays text');
    expect(el.shadowRoot!.querySelector('.row b')).to.equal(null);
  });

  it('shows the date of an event that is not from today (by the injected clock, in the local time zone)', async () => {
    const fake = new FakeClient();
    const nextDay = captureDay();
    nextDay.advance(86_400_000);
    const el = await mount(fake, {}, '4000px', nextDay);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    const last = new Date(String(EVENTS29.at(-1)!.data.timestamp));
    const pad = (n: number) => String(n).padStart(2, '0');
    const day = `${last.getFullYear()}-${pad(last.getMonth() + 1)}-${pad(last.getDate())}`;
    expect(rowTexts(el)[0]).to.match(new RegExp(`^${day} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}`));
  });

  it('shows the events of nats-server 2.15.2 and folds the $G repeat of the auth error', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS215);
    expect(rows(el)).to.have.length(SHOWN215);
    expect(rowTexts(el).filter((t) => t.includes('bad-password'))).to.have.length(1);
    checkbox(el, '$G echoes').click();
    await settled(el);
    expect(rows(el)).to.have.length(EVENTS215.length);
    const echo = rowTexts(el).filter((t) => t.includes('bad-password'));
    expect(echo).to.have.length(2);
    expect(echo.some((t) => t.includes('Disconnect') && t.includes('$G'))).to.equal(true);
  });

  it('keeps the rows, marked stale, while reconnecting, and is live again after', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
    await stateIs(el, 'stale');
    expect(textOf(el)).to.match(/Showing the last events \(reconnecting\)/);
    expect(rows(el)).to.have.length(SHOWN29);
    await expect(el).to.be.accessible();
    fake.setState('connected');
    await stateIs(el, 'ready');
    await deliver(el, fake, [connect('after-reconnect')]);
    expect(rowTexts(el)[0]).to.contain('after-reconnect');
    expect(fake.openSubs).to.have.length(EVENT_SUBJECTS.length);
  });

  it('is connecting, not stale, while reconnecting before any event, accessibly', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    fake.setState('reconnecting', new NunectError('CONNECTION_FAILED', 'lost the connection'));
    await stateIs(el, 'connecting');
    expect(textOf(el)).to.contain('Reconnecting to 127.0.0.1:4222');
    await expect(el).to.be.accessible();
    fake.setState('connected');
    await stateIs(el, 'ready');
  });

  it('says it needs a system-account user when subscribing is refused, with a retry that recovers', async () => {
    const fake = refusingClient();
    const el = await mount(fake);
    await stateIs(el, 'error');
    expect(textOf(el)).to.contain('needs a user of the system account (SYS)');
    expect(el.shadowRoot!.querySelector('[role="alert"]')).to.exist;
    await expect(el).to.be.accessible();
    delete (fake as { subscribe?: unknown }).subscribe;
    button(el, 'Retry').click();
    await stateIs(el, 'ready');
    expect(textOf(el)).to.contain('Waiting for events…');
    expect(fake.openSubs.length).to.be.at.least(EVENT_SUBJECTS.length);
  });

  it('leaves no open subscription when removed', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29.slice(0, 5));
    expect(fake.openSubs).to.have.length(EVENT_SUBJECTS.length);
    el.parentElement!.remove();
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.openSubs.length, 'open subscriptions after removal').to.equal(0);
  });
});

describe('<nunect-event-log>: the log', () => {
  it('renders hostile client names as text', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(rowTexts(el).some((t) => t.includes('<img src=x onerror=alert(1)>'))).to.equal(true);
  });

  it('keeps malformed and unknown events as Other rows with the subject', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    fake.emit('$SYS.ACCOUNT.ENGINE.CONNECT', 'this is {not json');
    fake.emit('$SYS.ACCOUNT.ENGINE.DISCONNECT', { type: 'io.nats.server.advisory.v1.something_new', timestamp: '2026-11-29T15:03:48.720284965Z' });
    await waitUntil(() => el.received === 2, 'two events');
    await el.updateComplete;
    const texts = rowTexts(el);
    expect(texts).to.have.length(2);
    expect(texts[0]).to.contain('Other').and.contain('$SYS.ACCOUNT.ENGINE.DISCONNECT').and.contain('something_new');
    expect(texts[1]).to.contain('Other').and.contain('$SYS.ACCOUNT.ENGINE.CONNECT').and.contain('not JSON');
    await expect(el).to.be.accessible();
  });

  it('filters by type, account and free text', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);

    // Type: only connects.
    for (const label of ['Disconnect', 'Auth error', 'Account conns', 'Admin action', 'Other']) checkbox(el, label).click();
    await el.updateComplete;
    expect(el.types).to.deep.equal(['connect']);
    expect(rowTexts(el).every((t) => t.includes('Connect'))).to.equal(true);
    expect(rows(el)).to.have.length(5);

    // Account: the select lists the accounts seen.
    const select = el.shadowRoot!.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent)).to.include.members(['All accounts', 'BRIDGE', 'ENGINE', 'PROVISION', 'SYS', '$G']);
    select.value = 'ENGINE';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.account).to.equal('ENGINE');
    expect(rows(el)).to.have.length(2);
    expect(counts(el)).to.contain('showing 2 of 2 matching');

    // Text, any case, on client name.
    const search = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="search"]')!;
    search.value = 'WORKER';
    search.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rowTexts(el)).to.have.length(1);
    expect(rowTexts(el)[0]).to.contain('engine-worker-1');

    // Nothing matches: said so.
    search.value = 'no such client';
    search.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rows(el)).to.have.length(0);
    expect(textOf(el)).to.contain('No events match the filters.');
    await expect(el).to.be.accessible();

    // Back to everything; text matches reason, IP and server too.
    Object.assign(el, { types: ['connect', 'disconnect', 'auth-error', 'conns', 'other'], account: '', text: 'authentication failure' });
    await el.updateComplete;
    expect(rowTexts(el)).to.have.length(1);
    el.text = '127.0.0.1';
    await el.updateComplete;
    expect(rows(el).length).to.equal(7);
    el.text = 'NUNECT-FIXTURE';
    await settled(el);
    expect(rows(el)).to.have.length(SHOWN29);
  });

  it('takes the types filter from an attribute', async () => {
    const el = await fixture<NunectEventLog>(html`<nunect-event-log types="disconnect, auth-error bogus"></nunect-event-log>`);
    expect(el.types).to.deep.equal(['disconnect', 'auth-error']);
  });

  it('pauses: rows stay, arrivals are counted, and show on resume', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    const before = rowTexts(el);

    const pause = button(el, 'Pause');
    expect(pause.getAttribute('aria-pressed')).to.equal('false');
    setTimeout(() => pause.click());
    const paused = await oneEvent(el, 'nunect-event-log-pause');
    expect((paused.detail as EventLogPauseDetail).paused).to.equal(true);
    await el.updateComplete;
    expect(el.paused).to.equal(true);
    expect(button(el, 'Resume').getAttribute('aria-pressed')).to.equal('true');

    await deliver(el, fake, [connect('while-paused-1'), connect('while-paused-2'), connect('while-paused-3')]);
    expect(rowTexts(el)).to.deep.equal(before);
    expect(counts(el)).to.contain('Paused · 3 new while paused');
    expect(counts(el)).to.contain(`${EVENTS29.length + 3} received`);
    await expect(el).to.be.accessible();

    setTimeout(() => button(el, 'Resume').click());
    const resumed = await oneEvent(el, 'nunect-event-log-pause');
    expect((resumed.detail as EventLogPauseDetail).paused).to.equal(false);
    await settled(el);
    expect(
      rowTexts(el)
        .slice(0, 3)
        .map((t) => /while-paused-\d/.exec(t)?.[0]),
    ).to.deep.equal(['while-paused-3', 'while-paused-2', 'while-paused-1']);
    expect(counts(el)).to.not.contain('Paused');
  });

  it('counts what the ring buffer evicts: capacity 10, 25 events → 15 evicted', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, { capacity: 10 });
    await stateIs(el, 'ready');
    const events = Array.from({ length: 25 }, (_, i) => connect(`client-${i + 1}`));
    await deliver(el, fake, events);
    expect(counts(el)).to.contain('25 received · 15 evicted (buffer 10)');
    expect(rows(el)).to.have.length(10);
    expect(rowTexts(el)[0]).to.contain('client-25');
    expect(rowTexts(el)[9]).to.contain('client-16');
    expect(el.evicted).to.equal(15);
    // Shrinking the buffer evicts (and counts) too.
    el.capacity = 4;
    await settled(el);
    expect(counts(el)).to.contain('25 received · 21 evicted (buffer 4)');
    expect(rows(el)).to.have.length(4);
  });

  it('counts a burst of more than twice the buffer exactly (taken in at once, the excess evicted unparsed)', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, { capacity: 10 });
    await stateIs(el, 'ready');
    // One synchronous burst: no frame can come between the messages.
    for (let i = 1; i <= 45; i++) fake.emit(connect(`burst-${i}`).subject, connect(`burst-${i}`).data);
    expect(el.received, 'taken in at 20 and 40 waiting, before any frame').to.equal(40);
    await waitUntil(() => el.received === 45, 'all received');
    await settled(el);
    expect(counts(el)).to.contain('45 received · 35 evicted (buffer 10)');
    expect(rowTexts(el)[0]).to.contain('burst-45');
    expect(rowTexts(el)[9]).to.contain('burst-36');
    expect(el.events.map((r) => r.seq)).to.deep.equal(Array.from({ length: 10 }, (_, i) => 36 + i));
  });

  it('takes in the events that arrived just before it was removed when it is put back', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    const provider = el.parentElement!;
    fake.emit(connect('before-removal').subject, connect('before-removal').data);
    el.remove();
    expect(el.received, 'still waiting for a frame').to.equal(0);
    provider.append(el);
    await waitUntil(() => el.received === 1, 'the waiting event taken in', { timeout: 3_000 });
    await settled(el);
    expect(rowTexts(el)[0]).to.contain('before-removal');
  });

  it('renders only the rows in view, and the others on scrolling', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, {}, '300px');
    await stateIs(el, 'ready');
    const target = 150;
    for (let i = 1; i <= target; i++) fake.emit(connect(`client-${i}`).subject, connect(`client-${i}`).data);
    await waitUntil(() => el.received === target, 'all received');
    await el.updateComplete;
    const table = el.shadowRoot!.querySelector('[role="table"]')!;
    expect(table.getAttribute('aria-rowcount')).to.equal(String(target + 1));
    expect(counts(el)).to.contain(`showing ${target} of ${target} matching`);
    expect(rows(el).length, 'rows in the DOM').to.be.within(5, 40);
    expect(rowTexts(el)[0]).to.contain('client-150 #');
    expect(rows(el)[0]!.getAttribute('aria-rowindex')).to.equal('2');
    const log = el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
    log.scrollTop = log.scrollHeight;
    await waitUntil(() => rowTexts(el).some((t) => t.includes('client-1 #')), 'the oldest row after scrolling to the end', { timeout: 3_000 });
    const last = rows(el).find((r) => r.textContent!.includes('client-1 #'))!;
    expect(last.getAttribute('aria-rowindex')).to.equal(String(target + 1));
    expect(rows(el).length, 'rows in the DOM').to.be.within(5, 40);
    await expect(el).to.be.accessible();
  });

  it('lists only the newest visibleRows rows', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, { visibleRows: 5 });
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    expect(rows(el)).to.have.length(5);
    expect(counts(el)).to.contain(`showing 5 of ${SHOWN29} matching`);
  });

  it('exports the buffer as JSON, oldest first, with subjects and payloads as received', async () => {
    const fake = new FakeClient();
    const el = await mount(fake, { capacity: 20 });
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS215);
    const exported = JSON.parse(el.exportJSON()) as {
      received: number;
      evicted: number;
      capacity: number;
      events: Array<{ seq: number; type: string; subject: string; data: unknown }>;
    };
    expect(exported.received).to.equal(EVENTS215.length);
    expect(exported.evicted).to.equal(EVENTS215.length - 20);
    expect(exported.capacity).to.equal(20);
    expect(exported.events).to.have.length(20);
    const kept = EVENTS215.slice(-20);
    expect(exported.events.map((e) => e.subject)).to.deep.equal(kept.map((e) => e.subject));
    expect(exported.events.map((e) => e.data)).to.deep.equal(kept.map((e) => e.data));
    expect(exported.events.map((e) => e.seq)).to.deep.equal(kept.map((_, i) => EVENTS215.length - 20 + i + 1));
    expect(exported.events.at(-1)!.type).to.equal('disconnect');
  });

  it('forgets the buffer and the counts on clear()', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29);
    el.clear();
    await el.updateComplete;
    expect(counts(el)).to.contain('0 received · 0 evicted');
    expect(textOf(el)).to.contain('Waiting for events…');
    expect(JSON.parse(el.exportJSON()).events).to.deep.equal([]);
    await deliver(el, fake, [connect('after-clear')]);
    expect(rowTexts(el)).to.have.length(1);
  });

  it('downloads the export from the Export JSON button', async () => {
    const fake = new FakeClient();
    const el = await mount(fake);
    await stateIs(el, 'ready');
    await deliver(el, fake, EVENTS29.slice(0, 3));
    const createObjectURL = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    let blob: Blob | undefined;
    let download = '';
    try {
      URL.createObjectURL = (b: Blob | MediaSource) => {
        blob = b as Blob;
        return 'blob:nunect-test';
      };
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        download = this.download;
      };
      button(el, 'Export JSON').click();
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(download).to.match(/^nats-events-.*\.json$/);
    expect(blob?.type).to.equal('application/json');
    const content = JSON.parse(await blob!.text()) as { events: unknown[]; received: number };
    expect(content.received).to.equal(3);
    expect(content.events).to.have.length(3);
  });
});
