/**
 * The shared poller with a scripted monitoring source: replies that come in the same read as a
 * survey's first reply are not lost, and after a connect the kinds a page shows first go first.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { ManualClock } from '../../client/index.js';
import type { FetchOptions, MonitorSource } from '../../client/monitor.js';
import type { MonitorKind, MonitorReply } from '../../client/monitor-types.js';
import { MonitorPoller, type PollerHost, type PollSnapshot } from '../../src/monitor/poller.js';

const reply = (name: string): MonitorReply => ({ server: { name, id: `ID_${name}` } as MonitorReply['server'], data: { server_name: name } });

function host(source: MonitorSource, available = true): PollerHost & { connect(): void } {
  const listeners = new Set<() => void>();
  const h = {
    monitorSource: source,
    monitorAvailable: available,
    clock: new ManualClock('2026-01-01T00:00:00Z'),
    subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    events: () => () => {},
    connect() {
      h.monitorAvailable = true;
      for (const l of listeners) l();
    },
  };
  return h;
}

describe('MonitorPoller', () => {
  it('merges the replies that came in the same read as the first (before the poll handled it)', async () => {
    const ref: { poller?: MonitorPoller } = {};
    const source: MonitorSource = {
      via: 'nats',
      fetch: <T>(_kind: MonitorKind, _params?: unknown, options: FetchOptions = {}) => {
        // The survey ends at the first reply; the next two are in the same read, so they reach
        // the late handler before the poll's await has resumed.
        const first = Promise.resolve([reply('n1')] as MonitorReply<T>[]);
        queueMicrotask(() => {
          ref.poller!.late(reply('n2'), options.tag);
          ref.poller!.late(reply('n3'), options.tag);
        });
        return first;
      },
    } as MonitorSource;
    const poller = (ref.poller = new MonitorPoller(host(source)));
    const seen: PollSnapshot[] = [];
    const stop = poller.watch({ kind: 'VARZ', interval: 60_000 }, (s) => seen.push(s));
    await waitUntil(() => seen.some((s) => s.replies), 'a snapshot with replies');
    await waitUntil(() => seen.at(-1)!.replies?.length === 3, `every server: ${JSON.stringify(seen.at(-1)!.replies?.map((r) => r.server.name))}`);
    expect(seen.at(-1)!.replies!.map((r) => r.server.name)).to.deep.equal(['n1', 'n2', 'n3']);
    stop();
  });

  it('a poll stopped and watched again while its request is in flight never polls again (no request storm)', async () => {
    const pending: Array<() => void> = [];
    let fetches = 0;
    const source = {
      via: 'nats',
      fetch: () => {
        fetches++;
        return new Promise<MonitorReply[]>((resolve) => pending.push(() => resolve([reply('n1')])));
      },
    } as unknown as MonitorSource;
    const poller = new MonitorPoller(host(source));
    const options = { kind: 'CONNZ' as MonitorKind, serverId: 'ID_n1', interval: 60_000 };
    const stop = poller.watch(options, () => {});
    await waitUntil(() => fetches === 1, 'the first request');
    // A property changed and back (a re-render): the same options watched anew while it is in flight.
    stop();
    const stop2 = poller.watch(options, () => {});
    await waitUntil(() => fetches === 2, 'the new watch asks at once');
    for (const answer of pending.splice(0)) answer();
    // A timer of Infinity fires at once: the stopped entry looped at the speed of its replies.
    for (let turn = 0; turn < 20; turn++) {
      await new Promise((r) => setTimeout(r, 0));
      for (const answer of pending.splice(0)) answer();
    }
    expect(fetches, 'no further request before the interval').to.equal(2);
    stop2();
  });

  it('a server heard again by an event stays named absent while the shown replies still lack it', async () => {
    let answering = ['n1', 'n2', 'n3'];
    const source = {
      via: 'nats',
      fetch: async () => answering.map(reply),
    } as unknown as MonitorSource;
    const poller = new MonitorPoller(host(source));
    const seen: PollSnapshot[] = [];
    const stop = poller.watch({ kind: 'VARZ', interval: 60_000 }, (s) => seen.push(s));
    await waitUntil(() => seen.at(-1)!.replies?.length === 3, 'three servers');
    answering = ['n1', 'n2'];
    poller.refresh();
    await waitUntil(() => seen.at(-1)!.absent?.some((a) => a.name === 'n3'), 'n3 named absent');
    const from = seen.length;
    // n3's STATSZ event: the roster hears it again, but these replies have nothing from it.
    poller.roster.heard({ name: 'n3', id: 'ID_n3' } as MonitorReply['server']);
    await waitUntil(() => seen.length > from, 'the roster change re-emitted');
    for (const s of seen.slice(from)) {
      const told = [...s.replies!.map((r) => r.server.name), ...(s.absent ?? []).map((a) => a.name)].sort();
      expect(told, 'every server answered or is named').to.deep.equal(['n1', 'n2', 'n3']);
    }
    // Its reply clears it.
    answering = ['n1', 'n2', 'n3'];
    poller.refresh();
    await waitUntil(() => seen.at(-1)!.replies?.length === 3 && seen.at(-1)!.absent?.length === 0, 'n3 back, named absent no more');
    stop();
  });

  it('after a connect polls VARZ, STATSZ, HEALTHZ and CONNZ first, then the other kinds', async () => {
    const asked: string[] = [];
    const source = {
      via: 'nats',
      fetch: async (kind: MonitorKind) => {
        asked.push(kind);
        return [reply('n1')];
      },
    } as unknown as MonitorSource;
    const h = host(source, false);
    const poller = new MonitorPoller(h);
    const stops = (['JSZ', 'ACCOUNTZ', 'CONNZ', 'SUBSZ', 'HEALTHZ', 'VARZ', 'STATSZ'] as MonitorKind[]).map((kind) =>
      poller.watch({ kind, interval: 60_000 }, () => {}),
    );
    h.connect();
    await waitUntil(() => asked.length === 7, `every kind asked: ${asked.join(', ')}`);
    expect(asked.slice(0, 4)).to.deep.equal(['VARZ', 'STATSZ', 'HEALTHZ', 'CONNZ']);
    for (const stop of stops) stop();
  });

  it('a survey that knew no server when it started says nothing of the servers it did not wait for', async () => {
    // VARZ and JSZ start together with an empty roster; VARZ brings 3 servers, JSZ stopped at its first.
    const release: Partial<Record<string, () => void>> = {};
    const source = {
      via: 'nats',
      fetch: (kind: MonitorKind) => new Promise((r) => (release[kind] = () => r(kind === 'VARZ' ? [reply('n1'), reply('n2'), reply('n3')] : [reply('n1')]))),
    } as unknown as MonitorSource;
    const poller = new MonitorPoller(host(source));
    const varz: PollSnapshot[] = [];
    const jsz: PollSnapshot[] = [];
    const stops = [poller.watch({ kind: 'VARZ', interval: 60_000 }, (s) => varz.push(s)), poller.watch({ kind: 'JSZ', interval: 60_000 }, (s) => jsz.push(s))];
    await waitUntil(() => release.VARZ && release.JSZ, 'both asked');
    release.VARZ!();
    await waitUntil(() => varz.at(-1)!.replies?.length === 3, 'VARZ in');
    release.JSZ!();
    await waitUntil(() => jsz.at(-1)!.replies, 'JSZ in');
    expect(jsz.at(-1)!.absent).to.deep.equal([]);
    expect(varz.at(-1)!.absent).to.deep.equal([]);
    expect(poller.roster.absent([])).to.deep.equal([]);
    for (const stop of stops) stop();
  });
});
