/**
 * A stand-in {@link TailSource} for tests and stories, on the fake client (test/support/fake-client.ts):
 * opening asks `fake.tail.TAIL` (a rejected request rejects the tail, as a refused subscription
 * would), then subscribes on the fake client, so `fake.emit(subject, data)` delivers a message
 * to the tail as the server would; the subscription is released on stop (`fake.openSubs`). The
 * reply to `fake.tail.TAIL` is an array of messages `{subject, data, headers?}` delivered at once
 * and then every `every` ms the ones appended since (a malformed reply is a problem; a good one
 * clears it). `gap(handle, gap)` reports a lost connection as the real source would.
 */
import { headers as natsHeaders } from '@nats-io/nats-core';
import { NunectError, subjectMatches, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { tailError, type TailGap, type TailHandle, type TailHandlers, type TailMsg, type TailSource, type TailSourceFactory } from './tail-source.js';

export const FAKE_TAIL_SUBJECT = 'fake.tail.TAIL';

export interface FakeTailMessage {
  subject: string;
  data: unknown;
  headers?: Record<string, string | string[]>;
  reply?: string;
  /** Binary payload as base64 (the reply is JSON): wins over `data`. */
  base64?: string;
}

/** A message as the tail gets it, with headers when given. */
export function fakeTailMsg(m: FakeTailMessage): TailMsg {
  const data =
    m.base64 !== undefined
      ? Uint8Array.from(atob(m.base64), (c) => c.charCodeAt(0))
      : typeof m.data === 'string'
        ? encoder.encode(m.data)
        : m.data instanceof Uint8Array
          ? m.data
          : encoder.encode(JSON.stringify(m.data));
  let headers: TailMsg['headers'];
  if (m.headers) {
    headers = natsHeaders();
    for (const [k, v] of Object.entries(m.headers)) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return { subject: m.subject, reply: m.reply, data, headers };
}

const encoder = new TextEncoder();

function read(msg: { json<T>(): T }): FakeTailMessage[] {
  let body: unknown;
  try {
    body = msg.json();
  } catch (err) {
    throw new NunectError('NATS', `malformed reply from ${FAKE_TAIL_SUBJECT}`, { cause: err });
  }
  if (!Array.isArray(body)) throw new NunectError('NATS', `malformed reply from ${FAKE_TAIL_SUBJECT}`);
  return body as FakeTailMessage[];
}

const handlersOf = new WeakMap<TailHandle, TailHandlers>();

/** Reports a connection gap on an open fake tail (as the real source does after a reconnect). */
export function fakeGap(handle: TailHandle | undefined, gap: TailGap): void {
  if (handle) handlersOf.get(handle)?.gap(gap);
}

/** The last tail a fake source opened (for tests that report gaps). */
export let lastFakeTail: TailHandle | undefined;

export function fakeTailSource(every = 20): TailSourceFactory {
  return (client: NunectClient): TailSource => ({
    async open(h, { subject, queue }) {
      const first = read(await client.request(FAKE_TAIL_SUBJECT).catch((e: unknown) => Promise.reject(tailError(toNunectError(e), subject, queue))));
      let delivered = 0;
      const deliver = (all: FakeTailMessage[]) => {
        for (; delivered < all.length; delivered++) {
          const m = all[delivered]!;
          if (subjectMatches(subject, m.subject)) h.message(fakeTailMsg(m));
        }
      };
      const sub = client.subscribe(subject, { onMessage: (m) => h.message(m) });
      deliver(first);
      let stopped = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = async () => {
        try {
          deliver(read(await client.request(FAKE_TAIL_SUBJECT)));
          h.problem(undefined);
        } catch (err) {
          h.problem(toNunectError(err));
        }
        if (!stopped) timer = setTimeout(() => void tick(), every);
      };
      timer = setTimeout(() => void tick(), every);
      const handle: TailHandle = {
        stop: () => {
          stopped = true;
          clearTimeout(timer);
          sub.unsubscribe();
        },
      };
      handlersOf.set(handle, h);
      lastFakeTail = handle;
      return handle;
    },
  });
}
