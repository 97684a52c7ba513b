import { expect, html, waitUntil } from '@open-wc/testing';
import { ManualClock } from '../../client/index.js';
import './define.js';
import type { NunectServers } from './nunect-servers.js';
import { formatBytes, formatCount, formatRate, formatTime } from '../../src/monitor/format.js';
import { featureMissing } from '../../src/monitor/features.js';
import { FakeClient } from '../../test/support/fake-client.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf, widgetSuite } from '../../test/support/widget-suite.js';
import varz from '../../test/fixtures/cluster-2.15.2/varz.json' with { type: 'json' };
import jsz from '../../test/fixtures/cluster-2.15.2/jsz.json' with { type: 'json' };
import healthz from '../../test/fixtures/cluster-2.15.2/healthz.json' with { type: 'json' };
import statsz from '../../test/fixtures/cluster-2.15.2/statsz.json' with { type: 'json' };
import events from '../../test/fixtures/cluster-2.15.2/events.json' with { type: 'json' };
import downVarz from '../../test/fixtures/cluster-2.15.2/down-varz.json' with { type: 'json' };
import downJsz from '../../test/fixtures/cluster-2.15.2/down-jsz.json' with { type: 'json' };
import downStatsz from '../../test/fixtures/cluster-2.15.2/down-statsz.json' with { type: 'json' };
import varz29 from '../../test/fixtures/cluster-2.9.10/varz.json' with { type: 'json' };
import jsz29 from '../../test/fixtures/cluster-2.9.10/jsz.json' with { type: 'json' };
import healthz29 from '../../test/fixtures/cluster-2.9.10/healthz.json' with { type: 'json' };
import statsz29 from '../../test/fixtures/cluster-2.9.10/statsz.json' with { type: 'json' };

// States, accessibility in each, retry, malformed replies, shared polling, cleanup.
widgetSuite('nunect-servers', { kinds: ['VARZ', 'JSZ', 'HEALTHZ', 'STATSZ'], readyText: 'nunect-fixture' });

interface Envelope {
  server: { name: string; id: string; ver?: string; [k: string]: unknown };
  data: Record<string, unknown> & { now?: string };
}

const CLUSTER = { VARZ: varz, JSZ: jsz, HEALTHZ: healthz, STATSZ: statsz } as Record<string, unknown[]>;
const CLUSTER_29 = { VARZ: varz29, JSZ: jsz29, HEALTHZ: healthz29, STATSZ: statsz29 } as Record<string, unknown[]>;
const NAMES = (varz as Envelope[]).map((r) => r.server.name).sort();
/** The fixture time the clock starts at (a missing server's "last seen"). */
const T0 = '2026-12-02T10:42:07Z';

function clusterFake(fixtures = CLUSTER): FakeClient {
  const fake = new FakeClient();
  for (const [kind, replies] of Object.entries(fixtures)) fake.respond(kind, replies);
  return fake;
}

/** The replies of `kind` without the server `name`. */
const without = (replies: unknown[], name: string) => (replies as Envelope[]).filter((r) => r.server.name !== name);

async function mount(fake: FakeClient) {
  const clock = new ManualClock(T0);
  const mounted = await mountInProvider<NunectServers>(html`<nunect-servers .interval=${100}></nunect-servers>`, { client: fake, clock });
  const { el } = mounted;
  await waitUntil(() => el.state === 'ready' && rows(el).length === NAMES.length, `ready with every server: ${textOf(el)}`, { timeout: 3_000 });
  return mounted;
}

/** The table's body rows as cell texts (the row header first). */
function rows(el: NunectServers): string[][] {
  return [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) =>
    [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
  );
}

function tileText(el: NunectServers, label: string): string {
  const t = [...el.shadowRoot!.querySelectorAll('.tile')].find((x) => x.querySelector('dt')?.textContent?.trim() === label);
  return t?.querySelector('dd')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

const rowOf = (el: NunectServers, name: string) =>
  [...el.shadowRoot!.querySelectorAll('tbody tr')].find((tr) => tr.querySelector('th')?.textContent?.includes(name));

describe('<nunect-servers>', () => {
  it('shows the servers with the first VARZ replies; the JetStream and health columns say loading until theirs are in', async () => {
    const fake = clusterFake();
    let release: (() => void) | undefined;
    fake.respond('HEALTHZ', () => new Promise<unknown[]>((r) => (release = () => r(structuredClone(healthz)))));
    const clock = new ManualClock(T0);
    const { el } = await mountInProvider<NunectServers>(html`<nunect-servers .interval=${100}></nunect-servers>`, { client: fake, clock });
    await waitUntil(() => el.state === 'ready' && rows(el).length === NAMES.length, `ready before HEALTHZ: ${textOf(el)}`, { timeout: 3_000 });
    const health = () => [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td:nth-last-child(2)')!);
    expect(health().every((c) => c.querySelector('[aria-label="loading"]'))).to.equal(true);
    release!();
    await waitUntil(() => health().every((c) => !c.querySelector('[aria-label="loading"]')), 'health filled in', { timeout: 3_000 });
  });

  it('shows every server of the cluster, with the cluster names and totals that are the sums of the servers', async () => {
    const fake = clusterFake();
    // Each poll, the server clocks advance 2 s and each server receives (i + 1) × 200 messages and 10 kB.
    let polls = 0;
    fake.respond('VARZ', () => {
      const replies = structuredClone(varz) as Envelope[];
      for (const [i, r] of replies.entries()) {
        r.data.now = new Date(Date.parse(r.data.now!) + polls * 2_000).toISOString();
        r.data.in_msgs = (r.data.in_msgs as number) + polls * 200 * (i + 1);
        r.data.in_bytes = (r.data.in_bytes as number) + polls * 10_000;
      }
      polls++;
      return replies;
    });
    const { el } = await mount(fake);
    expect(rows(el).map((r) => r[0]!.split(' ')[0])).to.deep.equal(NAMES);
    const data = (varz as Envelope[]).map((r) => r.data as Record<string, number>);
    const sum = (k: string) => data.reduce((t, d) => t + d[k]!, 0);
    expect(tileText(el, 'Servers')).to.equal(`${NAMES.length} of ${NAMES.length} answering`);
    expect(tileText(el, 'Connections')).to.equal(formatCount(sum('connections')));
    expect(tileText(el, 'Subscriptions')).to.equal(formatCount(sum('subscriptions')));
    expect(tileText(el, 'Memory')).to.equal(formatBytes(sum('mem')));
    expect(tileText(el, 'Slow consumers')).to.equal(formatCount(sum('slow_consumers')));
    const inRate = data.reduce((t, _d, i) => t + (200 * (i + 1)) / 2, 0);
    await waitUntil(() => tileText(el, 'Messages in') === formatRate(inRate), `msgs in ${formatRate(inRate)}: ${tileText(el, 'Messages in')}`, {
      timeout: 3_000,
    });
    expect(tileText(el, 'Bytes in')).to.equal(formatRate((data.length * 10_000) / 2, true));
    const clusters = [...new Set((varz as Envelope[]).map((r) => r.server.cluster as string))].sort();
    expect(el.shadowRoot!.querySelector('.clusters')!.textContent!.replace(/\s+/g, ' ')).to.contain(`Clusters ${clusters[0]}`).and.contain(clusters[1]!);
    await expect(el).to.be.accessible();
  });

  it('shows each server’s JetStream role from JSZ meta_cluster and its health', async () => {
    const { el } = await mount(clusterFake());
    const leader = (jsz as Array<{ data: { meta_cluster?: { leader?: string } } }>).find((r) => r.data.meta_cluster)!.data.meta_cluster!.leader!;
    const jetstream = (name: string) => rows(el).find((r) => r[0]!.startsWith(name))![14];
    expect(jetstream(leader)).to.equal('meta leader');
    for (const name of NAMES.filter((n) => n !== leader && n !== 'nunect-e2e-edge')) expect(jetstream(name)).to.equal('follower');
    expect(jetstream('nunect-e2e-edge')).to.equal('–');
    expect(rows(el).map((r) => r[15])).to.deep.equal(NAMES.map(() => 'ok'));
  });

  it('names a server that stopped answering, with when it was last seen and how many surveys it missed', async () => {
    const fake = clusterFake();
    const { el, provider, clock } = await mount(fake);
    const gone = 'nunect-e2e-3';
    expect(downVarz.some((r) => r.server.name === gone)).to.equal(false);
    fake.respond('VARZ', downVarz);
    fake.respond('JSZ', downJsz);
    fake.respond('STATSZ', downStatsz);
    fake.respond('HEALTHZ', without(healthz, gone));
    const roster = provider.hub.monitor.roster;
    await waitUntil(() => roster.servers.find((s) => s.name === gone)?.presence === 'missing', 'the roster names it missing', { timeout: 3_000 });
    expect(roster.servers.find((s) => s.name === gone)!.lastSeen).to.equal(Date.parse(T0));
    clock.advance(65_000);
    const lastSeen = formatTime(Date.parse(T0), clock.now());
    await waitUntil(() => textOf(el).includes(`no reply since ${lastSeen}`), `no reply since ${lastSeen}: ${textOf(el)}`, { timeout: 3_000 });
    const row = rowOf(el, gone)!;
    expect(row.classList.contains('absent')).to.equal(true);
    const text = row.textContent!.replace(/\s+/g, ' ');
    const m = /not answering · no reply since (.+?) · (\d+) surveys? missed/.exec(text);
    expect(m, text).to.not.equal(null);
    expect(Number(m![2])).to.be.within(1, roster.servers.find((s) => s.name === gone)!.missedSurveys);
    expect(tileText(el, 'Servers')).to.equal(`${NAMES.length - 1} of ${NAMES.length} answering`);
    // The totals are those of the servers that answered.
    const sum = (k: string) => downVarz.reduce((t, r) => t + (r.data as unknown as Record<string, number>)[k]!, 0);
    expect(tileText(el, 'Connections')).to.equal(formatCount(sum('connections')));
    await expect(el).to.be.accessible();
  });

  it('shows a server that stopped cleanly as stopped, not as missing', async () => {
    const fake = clusterFake();
    const { el, provider, clock } = await mount(fake);
    const stopped = 'nunect-e2e-2';
    for (const [kind, replies] of Object.entries(CLUSTER)) fake.respond(kind, without(replies, stopped));
    const roster = provider.hub.monitor.roster;
    await waitUntil(() => roster.servers.find((s) => s.name === stopped)?.presence === 'missing', 'it stops answering', { timeout: 3_000 });
    clock.advance(3_000);
    const shutdown = events.find((e) => e.subject.endsWith('.SHUTDOWN'))!;
    expect((shutdown.data as { name: string }).name).to.equal(stopped);
    fake.emit(shutdown.subject, shutdown.data);
    const at = formatTime(clock.now(), clock.now());
    await waitUntil(() => textOf(el).includes(`stopped cleanly at ${at}`), `stopped cleanly at ${at}: ${textOf(el)}`, { timeout: 3_000 });
    expect(rowOf(el, stopped)!.textContent).to.contain('stopped').and.not.contain('not answering');
    expect(tileText(el, 'Servers')).to.match(new RegExp(`^${NAMES.length - 1} of ${NAMES.length - 1} answering · 1 stopped$`));
  });

  it('marks a server that runs another version than the others', async () => {
    const fake = clusterFake();
    const odd = structuredClone(varz) as Envelope[];
    odd[1]!.data.version = '2.10.4';
    fake.respond('VARZ', odd);
    const { el } = await mount(fake);
    const skewed = [...el.shadowRoot!.querySelectorAll('tbody tr.skewed')].map((tr) => tr.querySelector('th')!.textContent!.trim().split(/\s+/)[0]);
    expect(skewed).to.deep.equal([odd[1]!.server.name]);
    expect(rowOf(el, odd[1]!.server.name)!.querySelector('.skew')!.textContent!.replace(/\s+/g, ' ')).to.equal('2.10.4 (differs)');
    expect(tileText(el, 'Versions (differ)')).to.contain('2.10.4 · 2.15.2');
  });

  describe('reload configuration', () => {
    const rights = (allow: string[]) => [
      { server: { name: 'nunect-e2e-1', id: 'X' }, data: { user: 'admin', account: 'SYS', permissions: { publish: { allow } } } },
    ];
    const buttons = (el: NunectServers) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button[part="reload"]')];

    it('offers it only where the user may publish the server’s RELOAD subject', async () => {
      const fake = clusterFake();
      const first = (varz as Envelope[]).find((r) => r.server.name === 'nunect-e2e-1')!.server.id;
      fake.respond('USER.INFO', rights(['$SYS.REQ.SERVER.PING.>', `$SYS.REQ.SERVER.${first}.RELOAD`]));
      const { el } = await mount(fake);
      await waitUntil(() => buttons(el).length > 0, `a reload button: ${textOf(el)}`, { timeout: 3_000 });
      expect(buttons(el).map((b) => b.getAttribute('aria-label'))).to.deep.equal(['Reload configuration of nunect-e2e-1']);
      const other = (varz as Envelope[]).find((r) => r.server.name === 'nunect-e2e-2')!.server.id;
      expect(rowOf(el, 'nunect-e2e-2')!.textContent).to.contain(`admin may not publish $SYS.REQ.SERVER.${other}.RELOAD.`);
    });

    it('says why when the user’s rights are not known', async () => {
      const { el } = await mount(clusterFake()); // no one answers $SYS.REQ.USER.INFO
      await waitUntil(() => textOf(el).includes('may reload it is not known'), `why: ${textOf(el)}`, { timeout: 3_000 });
      expect(buttons(el)).to.have.length(0);
    });

    it('says what a 2.9 server cannot do', async () => {
      const fake = clusterFake(CLUSTER_29);
      fake.respond('USER.INFO', rights(['>']));
      const { el } = await mount(fake);
      for (const r of varz29 as Envelope[]) {
        expect(rowOf(el, r.server.name)!.textContent!.replace(/\s+/g, ' ')).to.contain(
          featureMissing('reload', { name: r.server.name, version: r.server.ver }),
        );
      }
      expect(buttons(el)).to.have.length(0);
    });

    it('asks for confirmation, shows the server’s error as text and records every attempt', async () => {
      const fake = clusterFake();
      fake.respond('USER.INFO', rights(['>']));
      const error = 'config reload failed: /etc/nats/nats.conf:12:3: unknown field "<b>bogus</b>"\n/etc/nats/nats.conf:20:1: invalid port';
      const reloads: string[] = [];
      fake.respond('RELOAD', (subject) => {
        reloads.push(subject);
        return [{ server: { name: 'nunect-e2e-2', id: 'X' }, error: { code: 500, description: error } }];
      });
      const { el } = await mount(fake);
      await waitUntil(() => buttons(el).length === NAMES.length, `a reload button per server: ${textOf(el)}`, { timeout: 3_000 });
      const target = (varz as Envelope[]).find((r) => r.server.name === 'nunect-e2e-2')!.server;
      const button = buttons(el).find((b) => b.dataset.server === target.id)!;
      const dialog = el.shadowRoot!.querySelector('dialog')!;

      // Cancel: nothing is sent, the focus returns to the button.
      button.click();
      await waitUntil(() => dialog.open, 'the dialog opens');
      expect(dialog.textContent).to.contain('Reload the configuration of nunect-e2e-2?');
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Cancel');
      await expect(el).to.be.accessible();
      dialog.querySelector<HTMLButtonElement>('button.cancel')!.click();
      await waitUntil(() => !dialog.open && el.shadowRoot!.activeElement === button, 'closed, focus back on the button');
      expect(reloads).to.have.length(0);
      expect(fake.published).to.have.length(0);

      // Confirm: the request, the server's answer verbatim, the audit record.
      button.click();
      await waitUntil(() => dialog.open, 'the dialog opens again');
      dialog.querySelector<HTMLButtonElement>('button.confirm')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('pre.reply'), `the reply: ${textOf(el)}`, { timeout: 3_000 });
      expect(reloads).to.deep.equal([`$SYS.REQ.SERVER.${target.id}.RELOAD`]);
      expect(el.shadowRoot!.querySelector('pre.reply')!.textContent).to.equal(error);
      expect(el.shadowRoot!.querySelector('pre.reply b')).to.equal(null);
      expect(el.shadowRoot!.querySelector('.results')!.textContent).to.contain('not reloaded (failed)');
      expect(fake.published).to.have.length(1);
      const audit = fake.published[0]!;
      expect(audit.subject).to.equal('ops.audit.reload');
      const record = JSON.parse(audit.data as string);
      expect(record).to.deep.include({ action: 'reload', who: 'admin', outcome: 'failed', message: error, time: new Date(T0).toISOString() });
      expect(record.target).to.deep.equal({ serverId: target.id, server: 'nunect-e2e-2' });
    });

    it('shows a reload that worked', async () => {
      const fake = clusterFake();
      fake.respond('USER.INFO', rights(['>']));
      fake.respond('RELOAD', [{ server: { name: 'nunect-e2e-1', id: 'X' } }]);
      const { el } = await mount(fake);
      await waitUntil(() => buttons(el).length > 0, 'reload buttons', { timeout: 3_000 });
      buttons(el)[0]!.click();
      const dialog = el.shadowRoot!.querySelector('dialog')!;
      await waitUntil(() => dialog.open, 'the dialog opens');
      dialog.querySelector<HTMLButtonElement>('button.confirm')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('.results li.ok'), `a result: ${textOf(el)}`, { timeout: 3_000 });
      expect(el.shadowRoot!.querySelector('.results')!.textContent).to.contain('nunect-e2e-1').and.contain('configuration reloaded');
      expect(JSON.parse(fake.published[0]!.data as string).outcome).to.equal('ok');
    });
  });
});
