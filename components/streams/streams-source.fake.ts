/**
 * A stand-in {@link StreamsSource} for tests and stories: an in-memory account (streams, their
 * consumers and stored messages). The stream list goes through the fake client's request
 * responders like the real one (`$JS.API.STREAM.LIST`, answered by {@link fakeListResponder} or a
 * fixture on the suffix `STREAM.LIST`), so a test can make it fail or answer garbage; everything
 * else reads and changes the model. `refuse` lists the actions the "server" refuses
 * (PERMISSION_DENIED), `fail` makes an operation reject.
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import type { ConsumerInfo, StreamInfo } from '@nats-io/jetstream';
import { listStreamsPage, type StreamAction, type StreamMessage, type StreamPage, type StreamsSource, type StreamsSourceFactory } from './streams-source.js';

export interface FakeStream {
  info: StreamInfo;
  consumers?: ConsumerInfo[];
  /** Stored messages, by ascending sequence (gaps are deleted messages). */
  messages?: StreamMessage[];
}

export interface FakeAccount {
  streams: FakeStream[];
  /** Streams per list page (the server's is 256). */
  pageLimit?: number;
  /** Actions the server refuses with a permissions violation. */
  refuse?: StreamAction[];
  /** Operations that reject with this error. */
  fail?: Partial<Record<'info' | 'consumers' | 'message', NunectError>>;
  /** Every operation asked of the source, in order (e.g. `message ORDERS {"from":4}`). */
  calls?: string[];
}

const ISO = (ms: number) => new Date(ms).toISOString();

/** A stream's info with sensible defaults (state computed from `messages` when given). */
export function fakeStreamInfo(
  name: string,
  over: { subjects?: string[]; messages?: StreamMessage[]; consumers?: number; allowDirect?: boolean; retention?: string; created?: number } = {},
): StreamInfo {
  const msgs = over.messages ?? [];
  const first = msgs[0];
  const last = msgs.at(-1);
  const bytes = msgs.reduce((n, m) => n + m.data.length + m.subject.length, 0);
  return {
    config: {
      name,
      subjects: over.subjects ?? [`${name.toLowerCase()}.>`],
      retention: over.retention ?? 'limits',
      storage: 'file',
      num_replicas: 1,
      allow_direct: over.allowDirect ?? false,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      discard: 'old',
    },
    created: ISO(over.created ?? Date.parse('2026-11-29T12:00:00Z')),
    ts: ISO(Date.parse('2026-11-29T15:05:30Z')),
    state: {
      messages: msgs.length,
      bytes,
      first_seq: first?.seq ?? 0,
      first_ts: first?.time ?? '0001-01-01T00:00:00Z',
      last_seq: last?.seq ?? 0,
      last_ts: last?.time ?? '0001-01-01T00:00:00Z',
      consumer_count: over.consumers ?? 0,
      num_deleted: last && first ? last.seq - first.seq + 1 - msgs.length : 0,
    },
    cluster: { leader: 'nunect-fixture' },
  } as unknown as StreamInfo;
}

/** `count` messages on `subject` from sequence 1, one a second from `start`, minus `deleted`. */
export function fakeMessages(
  count: number,
  subject: (seq: number) => string,
  start: number,
  deleted: readonly number[] = [],
  payload = (seq: number) => JSON.stringify({ seq }),
): StreamMessage[] {
  const enc = new TextEncoder();
  const out: StreamMessage[] = [];
  for (let seq = 1; seq <= count; seq++) {
    if (deleted.includes(seq)) continue;
    out.push({ seq, subject: subject(seq), time: ISO(start + seq * 1_000), headers: [], data: enc.encode(payload(seq)), via: 'get' });
  }
  return out;
}

/** The fake client's responder for `$JS.API.STREAM.LIST` over the model (`offset` paging, `total`). */
export function fakeListResponder(account: FakeAccount): (subject: string, body: unknown) => unknown[] {
  return (_subject, body) => [listPage(account, Number((body as { offset?: number })?.offset ?? 0))];
}

export function listPage(account: FakeAccount, offset: number): StreamPage & { type: string } {
  const limit = account.pageLimit ?? 256;
  const streams = account.streams.slice(offset, offset + limit).map((s) => s.info);
  return { type: 'io.nats.jetstream.api.v1.stream_list_response', total: account.streams.length, offset, limit, streams };
}

function find(account: FakeAccount, name: string): FakeStream {
  const s = account.streams.find((x) => x.info.config.name === name);
  if (!s) throw new NunectError('NATS', `stream not found (404/10059)`);
  return s;
}

function refresh(s: FakeStream): void {
  const msgs = s.messages ?? [];
  const state = s.info.state;
  state.messages = msgs.length;
  state.first_seq = msgs[0]?.seq ?? state.last_seq + 1;
  state.consumer_count = s.consumers?.length ?? state.consumer_count;
}

export function fakeStreamsSource(account: FakeAccount): StreamsSourceFactory {
  const call = (what: string) => account.calls?.push(what);
  const refused = (action: StreamAction, subject: string) => {
    if (account.refuse?.includes(action)) throw new NunectError('PERMISSION_DENIED', `Permissions Violation for Publish to "${subject}"`);
  };
  return (client: NunectClient): StreamsSource => ({
    listPage: (offset) => listStreamsPage(client, offset),
    async info(stream) {
      call(`info ${stream}`);
      if (account.fail?.info) throw account.fail.info;
      return structuredClone(find(account, stream).info);
    },
    async consumers(stream) {
      call(`consumers ${stream}`);
      if (account.fail?.consumers) throw account.fail.consumers;
      return structuredClone(find(account, stream).consumers ?? []);
    },
    async message(stream, query, direct) {
      call(`message ${stream} ${JSON.stringify(query)}`);
      if (account.fail?.message) throw account.fail.message;
      const msgs = find(account, stream).messages ?? [];
      const via = direct ? 'direct' : 'get';
      let m: StreamMessage | undefined;
      if ('seq' in query) m = msgs.find((x) => x.seq === query.seq);
      else if ('from' in query) m = msgs.find((x) => x.seq >= query.from);
      else if ('lastBySubject' in query) m = msgs.findLast((x) => x.subject === query.lastBySubject);
      else m = msgs.find((x) => Date.parse(x.time) >= Date.parse(query.startTime));
      return m ? { ...m, via } : null;
    },
    async purge(stream, subject) {
      refused('purge', `$JS.API.STREAM.PURGE.${stream}`);
      const s = find(account, stream);
      const before = s.messages?.length ?? 0;
      s.messages = subject ? (s.messages ?? []).filter((m) => m.subject !== subject) : [];
      refresh(s);
      return before - s.messages.length;
    },
    async deleteMessage(stream, seq) {
      refused('delete-message', `$JS.API.STREAM.MSG.DELETE.${stream}`);
      const s = find(account, stream);
      if (!s.messages?.some((m) => m.seq === seq)) throw new NunectError('NATS', 'no message found (404/10037)');
      s.messages = s.messages.filter((m) => m.seq !== seq);
      refresh(s);
    },
    async deleteConsumer(stream, consumer) {
      refused('delete-consumer', `$JS.API.CONSUMER.DELETE.${stream}.${consumer}`);
      const s = find(account, stream);
      if (!s.consumers?.some((c) => c.name === consumer)) throw new NunectError('NATS', 'consumer not found (404/10014)');
      s.consumers = s.consumers.filter((c) => c.name !== consumer);
      refresh(s);
    },
  });
}
