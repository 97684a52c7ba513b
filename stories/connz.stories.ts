import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '../components/connz/define.js';
import { CONNZ_COLUMNS, type ConnzConnectionState } from '../components/connz/nunect-connz.js';
import type { ConnInfo } from '../client/monitor-types.js';
import connz215 from '../test/fixtures/2.15.2/connz.json' with { type: 'json' };
import connzClosed29 from '../test/fixtures/2.9.10/connz-closed.json' with { type: 'json' };
import connz29 from '../test/fixtures/2.9.10/connz.json' with { type: 'json' };
import type { FakeClient } from '../test/support/fake-client.js';
import { answerConnz, fakeCluster } from '../components/connz/connz-fake-cluster.js';
import { inState, stateArg, type StoryState } from './support/story-state.js';

type Data = 'fixture 2.9.10' | 'fixture 2.15.2' | '10,000 connections' | 'cluster of 3' | 'uneven cluster' | 'cluster with actions';

interface Args {
  state: StoryState;
  data: Data;
  interval: number;
  pageSize: number;
  sort: string;
  connectionState: ConnzConnectionState;
  account: string;
  nameFilter: string;
  serverName: string;
  /** Visible columns (ids); unset: the choice remembered in localStorage, else the defaults. */
  columns?: string[];
}

const ACCOUNTS = ['BRIDGE', 'ENGINE', 'PROVISION'];
const START = Date.parse('2026-11-29T09:00:00Z');

/** A made-up connection whose counters grow with the server clock (`t` seconds), so rates show. */
function synthetic(i: number, t: number): ConnInfo {
  const rate = (i * 37) % 101;
  return {
    cid: i + 1,
    kind: 'Client',
    type: i % 3 ? 'nats' : 'websocket',
    ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    port: 30_000 + (i % 30_000),
    start: new Date(START + i * 100).toISOString(),
    last_activity: new Date(START + t * 1_000).toISOString(),
    uptime: `${Math.floor(t / 60)}m${t % 60}s`,
    idle: rate ? '0s' : `${t}s`,
    pending_bytes: i % 97 === 0 ? 2_048 : 0,
    in_msgs: rate * t,
    out_msgs: rate * 2 * t,
    in_bytes: rate * t * 120,
    out_bytes: rate * 2 * t * 120,
    subscriptions: (i % 7) + 1,
    subscriptions_list: Array.from({ length: (i % 7) + 1 }, (_, k) => `app.${ACCOUNTS[i % 3]!.toLowerCase()}.${k}.>`),
    name: i === 42 ? '<img src=x onerror=alert(1)>' : `service-${i + 1}`,
    lang: i % 3 ? 'go' : 'nats.ws',
    version: i % 3 ? '1.37.0' : '3.4.0',
    authorized_user: ACCOUNTS[i % 3]!.toLowerCase(),
    account: ACCOUNTS[i % 3]!,
  };
}

/** A server with `total` connections that honours state, acc, cid, offset and limit (sorted by cid only). */
function manyConnections(fake: FakeClient, total: number): void {
  const t0 = Date.now();
  fake.respond('CONNZ', (_subject, body) => {
    const b = body as Record<string, unknown>;
    const t = Math.round((Date.now() - t0) / 1_000) + 60;
    if (b.state === 1) return structuredClone(connzClosed29);
    let all = Array.from({ length: total }, (_, i) => i);
    if (b.acc) all = all.filter((i) => ACCOUNTS[i % 3] === b.acc);
    if (b.cid) all = all.filter((i) => i + 1 === b.cid);
    const offset = Number(b.offset ?? 0);
    const limit = Number(b.limit ?? 1024);
    const page = all.slice(offset, offset + limit).map((i) => synthetic(i, t));
    return [
      {
        server: { name: 'nunect-fixture', id: 'NSTORY', ver: '2.15.2' },
        data: {
          server_id: 'NSTORY',
          now: new Date(START + t * 1_000).toISOString(),
          num_connections: page.length,
          total: all.length,
          offset,
          limit,
          connections: page,
        },
      },
    ];
  });
}

/** Three servers; each answers its own CONNZ, or all answer a PING. */
function cluster(fake: FakeClient): void {
  const base = (connz215 as Array<{ server: Record<string, unknown>; data: { connections: ConnInfo[] } }>)[0]!;
  const servers = ['nats-a', 'nats-b', 'nats-c'].map((name, n) => {
    const reply = structuredClone(base);
    reply.server = { ...reply.server, name, id: `N${name.toUpperCase().replace('-', '')}` };
    reply.data.connections = reply.data.connections.slice(n).map((c) => ({ ...c, name: `${c.name} @${name}` }));
    return reply;
  });
  fake.respond('CONNZ', (subject) => {
    const one = servers.find((s) => subject.includes(`.${String(s.server.id)}.`));
    return structuredClone(one ? [one] : servers);
  });
}

/** Three servers with 1,100, 30 and 400 connections (pages past one server's first 1,024), the third not answering. */
function unevenCluster(fake: FakeClient, actions: boolean): void {
  const servers = fakeCluster(actions ? [12, 7, 3] : [1100, 30, 400]);
  fake.respond('CONNZ', answerConnz(servers));
  if (!actions) {
    // The third stops answering after the first poll: named above the table, not offered.
    let polls = 0;
    fake.respond('CONNZ', (subject, body) => {
      if (++polls > 2) servers[2]!.down = true;
      return answerConnz(servers)(subject, body);
    });
    return;
  }
  // An admin on 2.15.2: the actions are offered; the server answers every one.
  fake.respond('USER.INFO', () => [
    { data: { user: 'admin', account: 'SYS', permissions: { publish: { allow: ['$SYS.REQ.SERVER.*.KICK', '$SYS.REQ.SERVER.*.LDM', 'ops.audit.>'] } } } },
  ]);
  const answer = (subject: string, body: unknown) => {
    const id = subject.split('.')[3]!;
    const s = servers.find((x) => x.id === id)!;
    const cid = (body as { cid: number }).cid;
    if (!s.conns.some((c) => c.cid === cid)) return [{ server: { name: s.name, id }, error: { code: 400, description: 'no such client' } }];
    setTimeout(() =>
      fake.emit(`$SYS.ACCOUNT.ENGINE.DISCONNECT`, {
        type: 'io.nats.server.advisory.v1.client_disconnect',
        server: { name: s.name, id },
        client: { id: cid, acc: 'ENGINE' },
        reason: subject.endsWith('.KICK') ? 'Kicked' : 'Client Closed',
      }),
    );
    return [{ server: { name: s.name, id }, data: {} }];
  };
  fake.respond('KICK', answer);
  fake.respond('LDM', answer);
}

function configure(data: Data, connectionState: ConnzConnectionState) {
  return (fake: FakeClient) => {
    if (data === 'uneven cluster') return unevenCluster(fake, false);
    if (data === 'cluster with actions') return unevenCluster(fake, true);
    if (data === '10,000 connections') return manyConnections(fake, 10_000);
    if (data === 'cluster of 3') return cluster(fake);
    const open = data === 'fixture 2.15.2' ? connz215 : connz29;
    fake.respond('CONNZ', (_s, body) => structuredClone((body as Record<string, unknown>).state === 1 || connectionState === 'closed' ? connzClosed29 : open));
  };
}

const meta = {
  title: 'Widgets/Connz',
  component: 'nunect-connz',
  args: {
    state: 'ready',
    data: 'fixture 2.9.10',
    interval: 2_000,
    pageSize: 50,
    sort: 'cid',
    connectionState: 'open',
    account: '',
    nameFilter: '',
    serverName: '',
  },
  argTypes: {
    // (stateArg's control type widens to string; restated here as the literal Storybook's types want.)
    state: { ...stateArg.state, control: { type: 'select' } },
    data: {
      control: { type: 'select' },
      options: ['fixture 2.9.10', 'fixture 2.15.2', '10,000 connections', 'cluster of 3', 'uneven cluster', 'cluster with actions'],
      description: 'Fake server (story only)',
    },
    connectionState: { control: { type: 'inline-radio' }, options: ['open', 'closed', 'all'] },
    columns: { control: { type: 'object' }, description: `Column ids: ${CONNZ_COLUMNS.join(' ')}` },
    sort: {
      control: { type: 'select' },
      options: ['cid', 'start', 'subs', 'pending', 'msgs_to', 'msgs_from', 'bytes_to', 'bytes_from', 'last', 'idle', 'uptime', 'rtt', 'stop', 'reason'],
    },
  },
  render: (args) =>
    inState(
      args.state,
      html`<nunect-connz
        .interval=${args.interval}
        .pageSize=${args.pageSize}
        .sort=${args.sort}
        .connectionState=${args.connectionState}
        .account=${args.account}
        .nameFilter=${args.nameFilter}
        .serverName=${args.serverName}
        .columns=${args.columns}
      ></nunect-connz>`,
      configure(args.data, args.connectionState),
    ),
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<Args>;

export const Unconfigured: Story = { args: { state: 'unconfigured' } };
export const Connecting: Story = { args: { state: 'connecting' } };
export const Loading: Story = { args: { state: 'loading' } };
/** Connections of a real nats-server 2.9.10 (captured fixtures), one with a hostile name shown as text. */
export const Ready: Story = { args: { state: 'ready' } };
/** The last data, kept and marked while the connection is lost. */
export const Stale: Story = { args: { state: 'stale' } };
export const ErrorState: Story = { name: 'Error', args: { state: 'error' } };
/** Recently closed connections with their stop time and reason. */
export const Closed: Story = { args: { connectionState: 'closed', sort: 'stop' } };
/** nats-server 2.15.2: the round-trip-time sort is offered. */
export const NewerServer: Story = { args: { data: 'fixture 2.15.2', sort: 'rtt' } };
/** 10,000 connections, paged by the server 50 at a time, with live rates. */
export const TenThousand: Story = { name: '10,000 connections', args: { data: '10,000 connections', interval: 1_000 } };
/** A name filter searches the first 1,024 connections in the browser. */
export const NameFilter: Story = { args: { data: '10,000 connections', nameFilter: 'service-10' } };
/** Three servers: one is shown, a selector picks another. */
export const Cluster: Story = { args: { data: 'cluster of 3' } };

/** The whole cluster in one list: 1,100, 30 and 400 connections merged, counts per server; the third stops answering and is named. */
export const WholeCluster: Story = { name: 'Whole cluster (uneven, one absent)', args: { data: 'uneven cluster', pageSize: 100 } };

/** An admin on 2.15.2: select rows or every connection of an account, then Disconnect or Ask to move, confirmed, with a result per row. */
export const Actions: Story = { name: 'Acting on connections', args: { data: 'cluster with actions' } };
/** Columns set by the page (`columns`): the totals instead of the rates. The "Columns" button changes them. */
export const ChosenColumns: Story = { args: { columns: ['cid', 'account', 'subs', 'msgs_in', 'msgs_out', 'bytes_in', 'bytes_out'] } };
/** Every column: the table scrolls sideways inside its card, the name column stays in view. */
export const AllColumns: Story = { args: { data: '10,000 connections', columns: [...CONNZ_COLUMNS] } };
/** A phone-sized card (390 px): the toolbar wraps, the table scrolls sideways inside the card. */
export const Phone: Story = {
  args: { data: '10,000 connections' },
  decorators: [(story) => html`<div style="max-width: 358px">${story()}</div>`],
};
