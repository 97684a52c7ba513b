import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './define.js';
import type { NunectConnz } from './nunect-connz.js';
import { FakeClient } from '../../test/support/fake-client.js';
import { mountInProvider } from '../../test/support/fixtures.js';
import { textOf } from '../../test/support/widget-suite.js';
import { answerConnz, clusterOrder, fakeCluster, type FakeServer } from './connz-fake-cluster.js';
import type { AuditRecord } from '../../client/admin.js';

type Body = Record<string, unknown>;

/** A fake client whose CONNZ answers come from `servers`; the page's connection is on the first. */
function clusterClient(servers: FakeServer[], rights?: { user: string; allow: string[] }): FakeClient {
  const fake = new FakeClient();
  fake.respond('CONNZ', answerConnz(servers));
  (fake.info as { server_id: string; server_name: string; version: string }).server_id = servers[0]!.id;
  (fake.info as { server_name: string }).server_name = servers[0]!.name;
  (fake.info as { version: string }).version = servers[0]!.ver;
  if (rights) {
    fake.respond('USER.INFO', () => [{ data: { user: rights.user, account: 'SYS', permissions: { publish: { allow: rights.allow } } } }]);
  }
  return fake;
}

async function mount(fake: FakeClient, pageSize = 50): Promise<NunectConnz> {
  const { el } = await mountInProvider<NunectConnz>(
    // Every row of a page in the DOM (virtual-rows: the test reads them all).
    html`<nunect-connz .interval=${100} .pageSize=${pageSize} .virtualRows=${Infinity} storage-key="connz-cluster-test"></nunect-connz>`,
    {
      client: fake,
    },
  );
  await waitUntil(() => el.state === 'ready' && rowKeys(el).length > 0, `ready (is ${el.state}): ${textOf(el)}`, { timeout: 3_000 });
  return el;
}

function rowKeys(el: NunectConnz): string[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr.conn')].map((r) => r.dataset.key!);
}

function settled(el: NunectConnz): boolean {
  return el.shadowRoot!.querySelector('.scroll')?.getAttribute('aria-busy') === 'false';
}

function serverSelect(el: NunectConnz): HTMLSelectElement {
  const l = [...el.shadowRoot!.querySelectorAll('label')].find((x) => x.textContent?.trim().startsWith('Server'));
  return l!.querySelector('select')!;
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

function button(el: NunectConnz, text: RegExp): HTMLButtonElement | undefined {
  return [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')].find((b) => text.test(b.textContent ?? ''));
}

/** The rows of the whole list, page after page (Next until it is disabled). */
async function everyPage(el: NunectConnz): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    await waitUntil(() => settled(el) && rowKeys(el).length > 0, `a settled page: ${textOf(el)}`, { timeout: 3_000 });
    seen.push(...rowKeys(el));
    const next = el.shadowRoot!.querySelector<HTMLButtonElement>('button.next')!;
    if (next.disabled) return seen;
    const first = rowKeys(el)[0];
    next.click();
    await waitUntil(() => rowKeys(el)[0] !== first, 'the next page', { timeout: 3_000 });
  }
}

const ADMIN = { user: 'admin', allow: ['$SYS.REQ.SERVER.PING.>', '$SYS.REQ.SERVER.*.CONNZ', '$SYS.REQ.SERVER.*.KICK', '$SYS.REQ.SERVER.*.LDM', 'ops.audit.>'] };

describe('<nunect-connz>: the whole cluster', () => {
  it('lists every server’s connections in one list, in the merged order of two sort keys, with counts per server', async () => {
    const servers = fakeCluster([7, 5, 3]);
    const fake = clusterClient(servers);
    const el = await mount(fake);
    await waitUntil(() => rowKeys(el).length === 15, `15 rows: ${textOf(el)}`);
    expect(rowKeys(el)).to.deep.equal(clusterOrder(servers, 'cid'));
    expect(textOf(el)).to.contain('7 on nats-1 · 5 on nats-2 · 3 on nats-3');
    expect(textOf(el)).to.match(/1–15 of 15/);
    expect([...el.shadowRoot!.querySelectorAll('thead th')].some((t) => t.textContent?.trim() === 'Server')).to.equal(true);
    // The selector: every server, and "All servers" chosen.
    const select = serverSelect(el);
    expect([...select.options].map((o) => o.textContent?.trim())).to.deep.equal(['All servers', 'nats-1', 'nats-2', 'nats-3']);
    expect(select.value).to.equal('');
    // No server is asked alone for the list.
    expect(fake.requests.filter((r) => r.subject.endsWith('.CONNZ') && !r.subject.includes('.PING.')).every((r) => (r.body as Body).limit === 50)).to.equal(
      true,
    );
    el.sort = 'msgs_from';
    await waitUntil(
      () => settled(el) && JSON.stringify(rowKeys(el)) === JSON.stringify(clusterOrder(servers, 'msgs_from')),
      `merged by msgs_from: ${rowKeys(el)}`,
    );
    el.sort = 'last';
    await waitUntil(() => settled(el) && JSON.stringify(rowKeys(el)) === JSON.stringify(clusterOrder(servers, 'last')), `merged by last: ${rowKeys(el)}`);
  });

  it('pages over the merged list with uneven counts: every connection once, none missing, further pages by server id', async () => {
    const servers = fakeCluster([1100, 30, 400]);
    const fake = clusterClient(servers);
    const el = await mount(fake, 300);
    await waitUntil(() => /1–300 of 1[,.\s\u202f]?530/.test(textOf(el)), `range of 1,530: ${textOf(el)}`);
    const seen = await everyPage(el);
    expect(new Set(seen).size, 'no duplicates').to.equal(seen.length);
    expect(seen).to.deep.equal(clusterOrder(servers, 'cid'));
    // Past each server's first 1,024: that server asked alone, from the zero-based offset 1,024.
    const chunk = fake.requests.find((r) => r.subject === `$SYS.REQ.SERVER.${servers[0]!.id}.CONNZ` && (r.body as Body).offset === 1024);
    expect(chunk, 'a request of nats-1 from offset 1,024').to.not.equal(undefined);
    // …and by bytes out, which interleaves the servers differently.
    el.sort = 'bytes_to';
    await waitUntil(() => settled(el) && textOf(el).includes('1–300'), 'first page by bytes_to');
    const first = rowKeys(el)[0];
    await waitUntil(() => rowKeys(el)[0] === clusterOrder(servers, 'bytes_to')[0], `first by bytes_to (is ${first})`);
    const byBytes = await everyPage(el);
    expect(byBytes).to.deep.equal(clusterOrder(servers, 'bytes_to'));
  });

  it('names a server that stopped answering above the table, and does not offer it', async () => {
    const servers = fakeCluster([4, 3, 2]);
    const fake = clusterClient(servers);
    const el = await mount(fake);
    await waitUntil(() => rowKeys(el).length === 9, '9 rows');
    servers[2]!.down = true;
    await waitUntil(() => /nats-3 · not answering · no reply since/.test(textOf(el)), `nats-3 named: ${textOf(el)}`, { timeout: 5_000 });
    await waitUntil(() => rowKeys(el).length === 7, 'its rows gone');
    expect(el.shadowRoot!.querySelector('[part="absent"]')?.textContent).to.contain('nats-3');
    expect([...serverSelect(el).options].map((o) => o.value)).to.deep.equal(['', 'nats-1', 'nats-2']);
    await expect(el).to.be.accessible();
  });

  it('per-server mode still pages on one server: choosing "All servers" brings the list back', async () => {
    const servers = fakeCluster([4, 3]);
    const fake = clusterClient(servers);
    const el = await mount(fake);
    await waitUntil(() => rowKeys(el).length === 7, '7 rows');
    choose(serverSelect(el), 'nats-2');
    await waitUntil(() => rowKeys(el).length === 3 && rowKeys(el).every((k) => k.startsWith(servers[1]!.id)), 'nats-2 alone');
    expect(fake.requests.some((r) => r.subject === `$SYS.REQ.SERVER.${servers[1]!.id}.CONNZ`)).to.equal(true);
    choose(serverSelect(el), '');
    await waitUntil(() => rowKeys(el).length === 7, 'all servers again');
  });
});

describe('<nunect-connz>: acting on connections', () => {
  it('on nats-server 2.9 offers no action and says why', async () => {
    const fake = clusterClient(fakeCluster([3, 2], '2.9.10'));
    const el = await mount(fake);
    await waitUntil(() => /needs nats-server 2\.10 or later; nats-1 runs 2\.9\.10/.test(textOf(el)), `why: ${textOf(el)}`);
    expect(el.shadowRoot!.querySelector('input.select')).to.equal(null);
    expect(button(el, /Disconnect/)).to.equal(undefined);
  });

  it('without the rights, offers no action and says which subject the user may not publish', async () => {
    const fake = clusterClient(fakeCluster([3, 2]), { user: 'monitor', allow: ['$SYS.REQ.SERVER.PING.>'] });
    const el = await mount(fake);
    await waitUntil(() => /monitor may not publish \$SYS\.REQ\.SERVER\.\S+\.KICK/.test(textOf(el)), `why: ${textOf(el)}`);
    expect(el.shadowRoot!.querySelector('input.select')).to.equal(null);
  });

  it('selects rows, previews, confirms in a dialog (Cancel focused, Escape cancels), then shows a result per row, audited and confirmed', async () => {
    const servers = fakeCluster([3, 2]);
    const fake = clusterClient(servers, ADMIN);
    const kicked: string[] = [];
    fake.respond('KICK', (subject, body) => {
      const id = subject.split('.')[3]!;
      const s = servers.find((x) => x.id === id)!;
      const cid = (body as { cid: number }).cid;
      kicked.push(`${id}:${cid}`);
      if (cid === 2) return [{ server: { name: s.name, id }, error: { code: 400, description: 'no such client' } }];
      return [{ server: { name: s.name, id }, data: {} }];
    });
    const el = await mount(fake);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('input.select').length === 5, `5 checkboxes: ${textOf(el)}`);
    const box = (key: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`input.select[data-key="${key}"]`)!;
    const a = `${servers[0]!.id}:1`;
    const b = `${servers[1]!.id}:2`;
    expect(box(a).getAttribute('aria-label')).to.match(/^Select s1-client-1 \(1\) on nats-1$/);
    box(a).click();
    box(b).click();
    await el.updateComplete;
    expect(textOf(el)).to.contain('Selected: 2 connections on 2 servers');
    const disconnect = button(el, /^\s*Disconnect 2 connections on 2 servers/)!;
    expect(disconnect, 'the Disconnect button').to.not.equal(undefined);
    disconnect.click();
    const dialog = () => el.shadowRoot!.querySelector('dialog')!;
    await waitUntil(() => dialog().open, 'the dialog');
    expect(dialog().textContent).to.match(/usually reconnects/);
    expect(dialog().textContent).to.match(/1\.2 s/);
    expect(dialog().textContent).to.match(/revoke its user/);
    expect(el.shadowRoot!.activeElement?.classList.contains('cancel'), 'Cancel has the focus').to.equal(true);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog().open, 'closed by Escape');
    expect(kicked).to.deep.equal([]);
    expect(el.shadowRoot!.activeElement?.textContent).to.match(/Disconnect/);
    // Again, and confirm.
    button(el, /^\s*Disconnect 2 connections/)!.click();
    await waitUntil(() => dialog().open, 'the dialog again');
    dialog().querySelector<HTMLButtonElement>('button.confirm')!.click();
    const results = () => el.shadowRoot!.querySelector('[part="results"]')!;
    expect(results().getAttribute('role')).to.equal('status');
    await waitUntil(() => results().querySelectorAll('li.ok, li.failed').length === 2, `two results: ${textOf(el)}`);
    expect(kicked.sort()).to.deep.equal([a, b].sort());
    const item = (key: string) => results().querySelector(`li[data-key="${key}"]`)!.textContent!.replace(/\s+/g, ' ');
    expect(item(a)).to.match(/Disconnect: ok/);
    expect(item(b)).to.match(/Disconnect: no such client/);
    // Every attempt is audited on ops.audit.kick.
    const audits = fake.published.filter((p) => p.subject === 'ops.audit.kick').map((p) => JSON.parse(String(p.data)) as AuditRecord);
    expect(audits.map((r) => `${r.target.serverId}:${r.target.cid}=${r.outcome}`).sort()).to.deep.equal([`${a}=ok`, `${b}=no-such-client`].sort());
    expect(audits.every((r) => r.who === 'admin' && r.action === 'kick' && r.time === new Date(Date.parse('2026-11-29T15:05:30Z')).toISOString())).to.equal(
      true,
    );
    // The DISCONNECT event confirms it.
    expect(fake.openSubs.some((s) => s.subject === '$SYS.ACCOUNT.*.DISCONNECT')).to.equal(true);
    fake.emit('$SYS.ACCOUNT.ENGINE.DISCONNECT', {
      type: 'io.nats.server.advisory.v1.client_disconnect',
      server: { name: 'nats-1', id: servers[0]!.id },
      client: { id: 1, acc: 'ENGINE', name: 's1-client-1' },
      reason: 'Kicked',
    });
    await waitUntil(() => item(a).includes('confirmed: disconnected'), `confirmed: ${item(a)}`);
    await expect(el).to.be.accessible();
  });

  it('selects every connection of an account across the servers and asks them to move (LDM)', async () => {
    const servers = fakeCluster([6, 4, 5]);
    const fake = clusterClient(servers, ADMIN);
    const moved: string[] = [];
    fake.respond('LDM', (subject, body) => {
      moved.push(`${subject.split('.')[3]}:${(body as { cid: number }).cid}`);
      return [{ server: { name: 'x', id: subject.split('.')[3] }, data: {} }];
    });
    const el = await mount(fake);
    await waitUntil(() => !!el.shadowRoot!.querySelector('form.match'), 'the select-matching form');
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input.match-value')!;
    input.value = 'BRIDGE';
    input.dispatchEvent(new Event('input'));
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.match-button')!.click();
    const expected = servers.flatMap((s) => s.conns.filter((c) => c.account === 'BRIDGE').map((c) => `${s.id}:${c.cid}`));
    const onServers = new Set(expected.map((k) => k.split(':')[0])).size;
    await waitUntil(() => textOf(el).includes(`Selected: ${expected.length} connections on ${onServers} servers`), `selected: ${textOf(el)}`);
    expect(fake.requests.some((r) => r.subject === '$SYS.REQ.SERVER.PING.CONNZ' && (r.body as Body).acc === 'BRIDGE')).to.equal(true);
    button(el, /^\s*Ask to move/)!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('dialog')!.open, 'the dialog');
    el.shadowRoot!.querySelector<HTMLButtonElement>('dialog button.confirm')!.click();
    await waitUntil(() => moved.length === expected.length, 'every one asked');
    expect(moved.sort()).to.deep.equal([...expected].sort());
    await waitUntil(() => fake.published.filter((p) => p.subject === 'ops.audit.ldm').length === expected.length, 'every one audited');
  });
});
