/**
 * `<nunect-connz>` across a real 3-node cluster (the project's scripts, free ports), through the
 * element's own model functions over real `$SYS` requests: the survey (`clusterParams`), each
 * server's further connections by id from zero-based offsets (`moreChunks`, `chunkParams`, with a
 * small chunk size so pages cross chunk boundaries), `serverLists` and `clusterView`: every
 * connection reached exactly once, in the right order, for two sort keys. On 2.10+, a selected
 * group (`matchParams`/`matchRows`) kicked (confirmed by DISCONNECT reason `Kicked`) and asked to
 * move (LDM), each attempt audited on `ops.audit.<action>` (`auditRecord`); `monitor` is refused.
 * (Single kicks, LDM of one client and reloads are covered by cluster.node.test.ts.)
 */
import { after, before, describe, test } from 'node:test';
import { connect, fetchMonitor, kickClient, moveClient, recordAudit, userInboxPrefix, type Msg, type NunectClient } from '../../client/node.js';
import type { AuditRecord } from '../../client/admin.js';
import type { Connz, MonitorReply } from '../../client/monitor-types.js';
import { serverHas } from '../../src/monitor/features.js';
import {
  chunkKey,
  chunkParams,
  clusterNeed,
  clusterParams,
  clusterView,
  moreChunks,
  serverLists,
  sortKeyInfo,
  sortValue,
  rowsOf,
  type ChunkResult,
  type ConnzQuery,
  type ConnzRow,
} from '../../components/connz/connz-query.js';
import { auditRecord, disconnectOf, KICKED_REASON, matchParams, matchRows, runAll, targetOf } from '../../components/connz/connz-actions.js';
import { deepEqual, equal, ok, until } from '../support/assert.js';
import { cleanup, loadGenerated, script, stackEnv, type Stack } from '../support/stack.js';

let stack: Stack;
const clients: NunectClient[] = [];

async function as(user: 'sys' | 'monitor' | 'admin' | 'bridge', server = 0, name?: string): Promise<NunectClient> {
  const key = { sys: 'SYS', monitor: 'MONITOR', admin: 'ADMIN', bridge: 'BRIDGE' }[user];
  const c = await connect({
    servers: server < 0 ? stack.servers.map((s) => s.wsUrl!) : stack.servers[server]!.wsUrl!,
    ca: stack.ca,
    user: stack.settings[`NATS_${key}_USER`]!,
    pass: stack.settings[`NATS_${key}_PASSWORD`]!,
    inboxPrefix: userInboxPrefix(stack.settings[`NATS_${key}_USER`]!),
    name,
    timeout: 10_000,
    reconnectDelay: { initial: 100, max: 500 },
  });
  clients.push(c);
  return c;
}

/** Connections per node: uneven, so pages and chunks cross servers unevenly. */
const SPREAD = [9, 4, 1];
const TOTAL = SPREAD.reduce((a, b) => a + b, 0);
/** A chunk size far below the real 1,024, so the test crosses chunk boundaries with few clients. */
const MAX = 4;
const SIZE = 5;

/** Every page of the merged list as the element builds it, over real requests. */
async function everyRow(sys: NunectClient, sort: string): Promise<ConnzRow[]> {
  const seen: ConnzRow[] = [];
  for (let offset = 0; ; offset += SIZE) {
    const q: ConnzQuery = { state: 'open', sort, offset, size: SIZE, account: 'BRIDGE', nameFilter: '' };
    const first = await fetchMonitor<Connz>(sys, 'CONNZ', clusterParams(q, MAX), { expectServers: 3, quiet: 2_000 });
    equal(first.length, 3, 'every node answers the survey');
    const need = clusterNeed(q);
    const chunks = new Map<string, ChunkResult>();
    for (const chunk of moreChunks(first, need, MAX)) {
      ok(chunk.offset % MAX === 0 && chunk.offset >= MAX, `a zero-based chunk offset: ${chunk.offset}`);
      const [reply] = await fetchMonitor<Connz>(sys, 'CONNZ', chunkParams(q, chunk), { serverId: chunk.serverId });
      equal(reply!.server.id, chunk.serverId, 'the chunk came from the server asked');
      chunks.set(chunkKey(chunk.serverId, chunk.offset), { reply });
    }
    const lists = serverLists(first, chunks, need, MAX);
    ok(
      lists.every((l) => !l.pending && !l.failed),
      'every chunk the page needs came',
    );
    const view = clusterView(lists, q);
    equal(view.count, TOTAL, 'counted over every server');
    equal(view.first, offset);
    seen.push(...view.rows);
    if (offset + SIZE >= view.count) return seen;
  }
}

/** The right order, worked out independently: every server's whole list, sorted by the key. */
async function truth(sys: NunectClient, sort: string): Promise<string[]> {
  const replies: MonitorReply<Connz>[] = await fetchMonitor<Connz>(
    sys,
    'CONNZ',
    { auth: true, acc: 'BRIDGE', limit: 1024 },
    { expectServers: 3, quiet: 2_000 },
  );
  const rows = replies.flatMap((r) => rowsOf(r));
  const sign = sortKeyInfo(sort)!.direction === 'descending' ? -1 : 1;
  const cmp = (a: number | bigint | string, b: number | bigint | string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => sign * cmp(sortValue(sort, a), sortValue(sort, b)) || cmp(a.server.name, b.server.name) || a.c.cid - b.c.cid);
  return rows.map((r) => r.key);
}

describe(`connz across a 3-node cluster (nats-server ${process.env.NATS_SERVER_BIN ?? 'default'})`, () => {
  before(async () => {
    stack = await stackEnv({ cluster: 3 });
    script(stack, 'nats-server.sh', 'start');
    loadGenerated(stack);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    try {
      script(stack, 'nats-server.sh', 'stop');
    } finally {
      cleanup(stack);
    }
  });

  test('every connection once, in the merged order, for two sort keys; then kick and LDM of a selected group, audited', { timeout: 120_000 }, async () => {
    // Connections spread unevenly; each publishes a different number of messages (for msgs_from:
    // nats-server orders equal values differently from one request to the next, so none are equal).
    let n = 0;
    for (const [node, count] of SPREAD.entries()) {
      for (let i = 0; i < count; i++, n++) {
        const c = await as('bridge', node, `grp-${node + 1}-${i + 1}`);
        for (let k = 0; k < (n * 5) % TOTAL; k++) c.publish('bridge.connz.test', 'x');
        await c.flush();
      }
    }
    const sys = await as('sys');
    await until(async () => (await truth(sys, 'cid')).length === TOTAL, 20_000, `${TOTAL} bridge connections listed`);
    for (const sort of ['cid', 'msgs_from']) {
      const rows = await everyRow(sys, sort);
      const keys = rows.map((r) => r.key);
      equal(new Set(keys).size, keys.length, `${sort}: no connection twice`);
      deepEqual(keys, await truth(sys, sort), `${sort}: every connection, in the merged order`);
      deepEqual(
        [...new Set(rows.map((r) => r.server.name))].sort(),
        stack.servers.map((s) => s.name),
        `${sort}: from every node`,
      );
    }

    const version = (await fetchMonitor<Connz>(sys, 'CONNZ', { limit: 1 }, { expectServers: 3 }))[0]!.server.ver!;
    const admin = await as('admin');
    const monitor = await as('monitor');
    // The group: every client named grp-1-… (node 1), selected by name as the element does.
    const select = async () =>
      matchRows(await fetchMonitor<Connz>(sys, 'CONNZ', matchParams('name', 'grp-1-'), { expectServers: 3, quiet: 2_000 }), 'name', 'grp-1-').map(targetOf);
    const group = await select();
    equal(group.length, SPREAD[0], 'the group selected by name');
    if (!serverHas(version, 'kick')) {
      // 2.9: nobody answers KICK or LDM; the element does not offer them (features.ts).
      equal((await kickClient(admin, group[0]!.serverId, group[0]!.cid)).outcome, 'unsupported');
      equal((await moveClient(admin, group[0]!.serverId, group[0]!.cid)).outcome, 'unsupported');
      return;
    }
    const audit: AuditRecord[] = [];
    admin.subscribe('ops.audit.>', { onMessage: (m: Msg) => audit.push(m.json() as AuditRecord) });
    const events: Array<{ key: string; reason: string }> = [];
    sys.subscribe('$SYS.ACCOUNT.*.DISCONNECT', {
      onMessage: (m: Msg) => {
        const d = disconnectOf(m.subject, m.json());
        if (d) events.push(d);
      },
    });
    await Promise.all([admin.flush(), sys.flush()]);

    // monitor is refused, and the refusal is audited too.
    const refused = await kickClient(monitor, group[0]!.serverId, group[0]!.cid);
    equal(refused.outcome, 'refused', refused.message);
    ok(recordAudit(admin, auditRecord('kick', group[0]!, refused, 'monitor', Date.now())), 'the refusal recorded');

    // Kick half the group, ask the other half to move.
    const kick = group.slice(0, 4);
    const move = group.slice(4);
    const outcomes = new Map<string, string>();
    await runAll(
      kick,
      4,
      (t) => kickClient(admin, t.serverId, t.cid),
      (t, r) => {
        outcomes.set(`kick ${t.key}`, r.outcome);
        recordAudit(admin, auditRecord('kick', t, r, 'admin', Date.now()));
      },
    );
    await runAll(
      move,
      4,
      (t) => moveClient(admin, t.serverId, t.cid),
      (t, r) => {
        outcomes.set(`ldm ${t.key}`, r.outcome);
        recordAudit(admin, auditRecord('ldm', t, r, 'admin', Date.now()));
      },
    );
    ok(
      [...outcomes.values()].every((o) => o === 'ok'),
      JSON.stringify([...outcomes]),
    );
    await until(() => kick.every((t) => events.some((e) => e.key === t.key && e.reason === KICKED_REASON)), 20_000, 'a DISCONNECT Kicked for every kicked one');
    await until(() => move.every((t) => events.some((e) => e.key === t.key)), 20_000, 'every moved one left its connection');
    await until(() => audit.length === 1 + kick.length + move.length, 20_000, 'every attempt audited');
    deepEqual(
      audit.map((r) => `${r.action}:${r.target.serverId}:${r.target.cid}:${r.outcome}`).sort(),
      [`kick:${group[0]!.key}:refused`, ...kick.map((t) => `kick:${t.key}:ok`), ...move.map((t) => `ldm:${t.key}:ok`)].sort(),
    );
    // The moved clients are back on other nodes; the kicked ones came back by themselves.
    await until(
      async () => {
        const now = matchRows(await fetchMonitor<Connz>(sys, 'CONNZ', matchParams('name', 'grp-1-'), { expectServers: 3, quiet: 1_000 }), 'name', 'grp-1-');
        const moved = now.filter((r) => move.some((t) => t.name === r.c.name));
        return now.length === group.length && moved.every((r) => r.server.id !== group[0]!.serverId);
      },
      30_000,
      'kicked clients reconnected, moved ones on another node',
    );
  });
});
