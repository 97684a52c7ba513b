/**
 * The streams widget's reads against a real nats-server, through its source
 * (components/streams/streams-source.ts) as the browser uses it (wss, the nunect client):
 * - 1,000 streams: the first page of `$JS.API.STREAM.LIST` (what the first rows wait for) and
 *   the whole list (4 API pages);
 * - a 1,000,000-message stream: its info and its first message (MSG.GET by sequence and direct
 *   get), and a message in the middle — no consumer is created.
 * Rendering is measured by the unit tests' virtual window (only the rows in view are in the DOM);
 * this measures the server round trips. Figures are medians of `--rounds` runs.
 *
 * Usage: node --import tsx bench/streams.ts [--streams 1000] [--messages 1000000] [--rounds 5] [--server PATH]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect } from '../client/node.js';
import { jetStreamSource, messageFrom } from '../components/streams/streams-source.js';
import { TestNatsServer } from '../test/support/nats-server.js';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '1000' },
    messages: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
    server: { type: 'string' },
  },
});
const STREAMS = Number(values.streams);
const MESSAGES = Number(values.messages);
const ROUNDS = Number(values.rounds);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  console.log(`${label.padEnd(52)} median ${median(runs).toFixed(1)} ms (min ${Math.min(...runs).toFixed(1)}, max ${Math.max(...runs).toFixed(1)})`);
}

const server = await TestNatsServer.start(values.server ? { bin: values.server } : {});
try {
  const who = server.info.users.BRIDGE;
  const client = await connect({ servers: server.info.wsUrl, ca: server.info.ca, user: who.user, pass: who.pass, timeout: 10_000 });
  const jsm = await jetstreamManager(client.nc);
  console.log(`nats-server ${server.info.version}: ${STREAMS} streams, one stream of ${MESSAGES} messages`);

  let t = performance.now();
  for (let i = 0; i < STREAMS; i++) await jsm.streams.add({ name: `S${i}`, subjects: [`s.${i}.>`], storage: StorageType.Memory });
  console.log(`(setup: ${STREAMS} streams made in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

  await jsm.streams.add({ name: 'BIG', subjects: ['big.>'], storage: StorageType.File, allow_direct: true });
  const js = jetstream(client.nc);
  t = performance.now();
  const payload = new TextEncoder().encode(JSON.stringify({ reading: 42, unit: 'kPa', tags: ['a', 'b'] }));
  const BATCH = 5_000;
  for (let i = 0; i < MESSAGES; i += BATCH) {
    const acks: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(MESSAGES, i + BATCH); j++) acks.push(js.publish(`big.${j % 100}`, payload));
    await Promise.all(acks);
  }
  console.log(`(setup: ${MESSAGES} messages stored in ${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const source = jetStreamSource(client);
  await source.listPage(0); // loads the JetStream library once
  await time(`stream list, first page (${STREAMS + 1} streams)`, () => source.listPage(0));
  await time(`stream list, every page`, async () => {
    let at = 0;
    for (;;) {
      const p = await source.listPage(at);
      at += p.streams.length;
      if (!p.streams.length || at >= p.total) break;
    }
  });
  const before = (await jsm.streams.info('BIG')).state.consumer_count;
  await time(`BIG: info`, () => source.info('BIG'));
  await time(`BIG: first message, direct get`, () => messageFrom(source, 'BIG', 1, true));
  await time(`BIG: first message, MSG.GET`, () => messageFrom(source, 'BIG', 1, false));
  await time(`BIG: info + first message (what the browser waits for)`, async () => {
    const info = await source.info('BIG');
    await messageFrom(source, 'BIG', info.state.first_seq, true);
  });
  await time(`BIG: message ${MESSAGES / 2}, direct get`, () => messageFrom(source, 'BIG', MESSAGES / 2, true));
  await time(`BIG: last on big.7, direct get`, () => source.message('BIG', { lastBySubject: 'big.7' }, true));
  const after = (await jsm.streams.info('BIG')).state.consumer_count;
  console.log(`consumers on BIG before ${before}, after ${after}`);
  await client.close();
} finally {
  await server.stop();
}
