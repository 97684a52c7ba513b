/**
 * The real source of <nunect-publish> (components/publish/publish-source.ts) against a real
 * nats-server: a publish with headers reaches an independent subscriber with the headers intact;
 * a request gets its reply with its round trip; a scatter-gather collects the replies of 3
 * responders (each named), stopping at a count or after a quiet period; no responders, no reply
 * and a refused publish are each told for what they are.
 */
import { after, before, describe, test } from 'node:test';
import { headers as natsHeaders } from '@nats-io/nats-core';
import { connect, userInboxPrefix, type Msg, type NunectClient } from '../../client/node.js';
import { encodePayload } from '../../components/publish/publish-model.js';
import { natsPublishSource } from '../../components/publish/publish-source.js';
import { equal, ok, until } from '../support/assert.js';
import { TestNatsServer, type RoleName } from '../support/nats-server.js';

let server: TestNatsServer;
const clients: NunectClient[] = [];
const decoder = new TextDecoder();
const bytes = (s: string) => encodePayload(s, 'text').bytes!;

async function as(role: RoleName | 'bridge'): Promise<NunectClient> {
  const who = role === 'bridge' ? server.info.users.BRIDGE : server.info.roles[role];
  const c = await connect({
    servers: server.info.wsUrl,
    ca: server.info.ca,
    user: who.user,
    pass: who.pass,
    inboxPrefix: userInboxPrefix(who.user),
    timeout: 10_000,
  });
  clients.push(c);
  return c;
}

describe(`the publish source against nats-server ${process.env.NATS_SERVER_BIN ?? 'default'}`, () => {
  before(async () => {
    server = await TestNatsServer.start();
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await server?.stop();
  });

  test('a publish with headers reaches an independent subscriber with the headers intact', { timeout: 30_000 }, async () => {
    const source = natsPublishSource(await as('bridge'));
    const viewer = await as('bridge-viewer');
    const got: Msg[] = [];
    const sub = viewer.subscribe('bridge.orders.>', { onMessage: (m) => got.push(m) });
    await viewer.flush();
    const payload = encodePayload('00 01 fe ff', 'hex').bytes!;
    const r = await source.publish({
      subject: 'bridge.orders.created',
      headers: [
        ['Nats-Msg-Id', 'id-42'],
        ['X-Tag', 'one'],
        ['X-Tag', 'two'],
        ['X-Text', 'héllo wörld'],
      ],
      payload,
    });
    equal(r.outcome, 'ok', r.error?.message);
    equal(r.size, 4);
    await until(() => got.length === 1, 10_000, 'the subscriber gets it');
    const m = got[0]!;
    equal(m.subject, 'bridge.orders.created');
    equal([...m.data].join(','), '0,1,254,255');
    equal(m.headers!.get('Nats-Msg-Id'), 'id-42');
    equal(m.headers!.values('X-Tag').join(','), 'one,two');
    equal(m.headers!.get('X-Text'), 'héllo wörld');
    sub.unsubscribe();
  });

  test('a request gets its reply, with headers, the responder and the round trip', { timeout: 30_000 }, async () => {
    const responder = await as('bridge');
    const sub = responder.subscribe('bridge.echo', {
      onMessage: (m) => m.respond(`echo: ${decoder.decode(m.data)}`, { headers: headersOf({ 'Nats-Responder': 'echo-1' }) }),
    });
    await responder.flush();
    const source = natsPublishSource(await as('bridge-viewer'));
    const r = await source.request({ subject: 'bridge.echo', headers: [], payload: bytes('hi') }, 5_000);
    equal(r.outcome, 'ok', r.error?.message);
    equal(r.replies.length, 1);
    const reply = r.replies[0]!;
    equal(decoder.decode(reply.msg.data), 'echo: hi');
    equal(reply.responder, 'echo-1');
    ok(reply.elapsed > 0 && reply.elapsed < 5_000, `round trip ${reply.elapsed} ms`);
    sub.unsubscribe();
  });

  test('a scatter-gather collects the replies of 3 responders, each named; a count or a quiet period stops it', { timeout: 30_000 }, async () => {
    const subs = [];
    for (const i of [1, 2, 3]) {
      const c = await as('bridge');
      subs.push(c.subscribe('bridge.survey', { onMessage: (m) => m.respond(JSON.stringify({ name: 'survey', id: `r-${i}`, at: i })) }));
      await c.flush();
    }
    const source = natsPublishSource(await as('bridge-viewer'));
    const live: string[] = [];
    const all = await source.gather(
      { subject: 'bridge.survey', headers: [['X-Q', '1']], payload: bytes('who is there') },
      { quiet: 300, maxWait: 10_000, onReply: (r) => live.push(r.responder ?? '') },
    );
    equal(all.outcome, 'ok', all.error?.message);
    equal(all.stopped, 'quiet');
    equal(all.replies.length, 3);
    equal(
      all.replies
        .map((r) => r.responder)
        .sort()
        .join(','),
      'survey r-1,survey r-2,survey r-3',
    );
    equal(live.length, 3, 'each reply reported as it came');
    ok(
      all.replies.every((r, i) => r.n === i + 1 && r.elapsed > 0 && (i === 0 || r.elapsed >= all.replies[i - 1]!.elapsed)),
      'numbered in order of arrival',
    );
    const two = await source.gather({ subject: 'bridge.survey', headers: [], payload: bytes('') }, { maxReplies: 2, quiet: 5_000, maxWait: 10_000 });
    equal(two.stopped, 'count');
    equal(two.replies.length, 2);
    for (const s of subs) s.unsubscribe();
  });

  test('no responders, no reply and a refused publish are each told for what they are', { timeout: 30_000 }, async () => {
    const viewer = natsPublishSource(await as('bridge-viewer'));
    const nobody = await viewer.request({ subject: 'bridge.nobody', headers: [], payload: bytes('x') }, 3_000);
    equal(nobody.outcome, 'no-responders', nobody.error?.message);
    const gatherNobody = await viewer.gather({ subject: 'bridge.nobody', headers: [], payload: bytes('x') }, { quiet: 200, maxWait: 3_000 });
    equal(gatherNobody.outcome, 'no-responders', gatherNobody.error?.message);

    const silent = await as('bridge');
    const sub = silent.subscribe('bridge.silent', { onMessage: () => {} });
    await silent.flush();
    const timeout = await viewer.request({ subject: 'bridge.silent', headers: [], payload: bytes('x') }, 300);
    equal(timeout.outcome, 'no-reply', timeout.error?.message);
    const quiet = await viewer.gather({ subject: 'bridge.silent', headers: [], payload: bytes('x') }, { quiet: 100, maxWait: 400 });
    equal(quiet.outcome, 'no-reply');
    equal(quiet.stopped, 'max-wait');
    sub.unsubscribe();

    const refused = await viewer.publish({ subject: 'orders.created', headers: [], payload: bytes('x') });
    equal(refused.outcome, 'refused', refused.error?.message);
    ok(/may not publish to orders\.created/.test(refused.error!.message), refused.error!.message);
    const refusedRequest = await viewer.request({ subject: 'orders.get', headers: [], payload: bytes('x') }, 2_000);
    equal(refusedRequest.outcome, 'refused', `${refusedRequest.outcome}: ${refusedRequest.error?.message}`);
    // Still usable afterwards.
    equal((await viewer.publish({ subject: 'bridge.after', headers: [], payload: bytes('x') })).outcome, 'ok');
  });
});

function headersOf(h: Record<string, string>) {
  const out = natsHeaders();
  for (const [k, v] of Object.entries(h)) out.append(k, v);
  return out;
}
