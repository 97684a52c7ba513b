/**
 * A stand-in {@link PublishSource} for tests and stories: it records every operation
 * (`fakePublished`), and answers requests and scatter-gathers from `responders`, a function of the
 * subject giving the replies (`{data, headers?, delay?}`; none: no reply) or throwing a NunectError
 * (e.g. PERMISSION_DENIED to act as a refusal). Times come from the widget's clock; elapsed times
 * are the replies' `delay` (no real waiting is needed: replies come on the next macrotask).
 */
import { headers as natsHeaders } from '@nats-io/nats-core';
import { NunectError } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { responderOf, type Outgoing, type PublishSourceFactory, type Reply, type ReplyMsg, type Result } from './publish-source.js';

export interface FakeReply {
  data: unknown;
  headers?: Record<string, string | string[]>;
  /** Milliseconds it "took" (shown as its round trip). */
  delay?: number;
}

export type FakeResponders = (subject: string) => FakeReply[];

const encoder = new TextEncoder();

function toMsg(subject: string, r: FakeReply): ReplyMsg {
  const data = typeof r.data === 'string' ? encoder.encode(r.data) : r.data instanceof Uint8Array ? r.data : encoder.encode(JSON.stringify(r.data));
  let headers: ReplyMsg['headers'];
  if (r.headers) {
    headers = natsHeaders();
    for (const [k, v] of Object.entries(r.headers)) for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
  }
  return { subject, data, headers };
}

/** Every operation the fake sources were asked, in order. */
export const fakePublished: Array<{ mode: 'publish' | 'request' | 'gather'; message: Outgoing }> = [];

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export function fakePublishSource(responders: FakeResponders = () => []): PublishSourceFactory {
  return (_client, clock = Date) => {
    const fail = (err: unknown, time: number, size: number): Result => {
      const e = toNunectError(err);
      return { outcome: e.code === 'PERMISSION_DENIED' ? 'refused' : 'failed', error: e, time, size, replies: [], elapsed: 0 };
    };
    const answer = (m: Outgoing): Reply[] =>
      responders(m.subject).map((r, i) => {
        const msg = toMsg('_INBOX.fake', r);
        return { n: i + 1, msg, time: clock.now(), elapsed: r.delay ?? 1, responder: responderOf(msg) };
      });
    return {
      async publish(m) {
        fakePublished.push({ mode: 'publish', message: m });
        const time = clock.now();
        await tick();
        try {
          responders(m.subject);
        } catch (err) {
          return fail(err, time, m.payload.length);
        }
        return { outcome: 'ok', time, size: m.payload.length, replies: [], elapsed: 0.2 };
      },
      async request(m, timeout) {
        fakePublished.push({ mode: 'request', message: m });
        const time = clock.now();
        await tick();
        let replies: Reply[];
        try {
          replies = answer(m).slice(0, 1);
        } catch (err) {
          return fail(err, time, m.payload.length);
        }
        if (!replies.length)
          return {
            outcome: 'no-reply',
            error: new NunectError('TIMEOUT', `request to ${m.subject}: timed out`),
            time,
            size: m.payload.length,
            replies,
            elapsed: timeout,
          };
        return { outcome: 'ok', time, size: m.payload.length, replies, elapsed: replies[0]!.elapsed };
      },
      async gather(m, options = {}) {
        fakePublished.push({ mode: 'gather', message: m });
        const time = clock.now();
        let all: Reply[];
        try {
          all = answer(m);
        } catch (err) {
          return fail(err, time, m.payload.length);
        }
        const max = options.maxReplies && options.maxReplies > 0 ? options.maxReplies : Infinity;
        const replies: Reply[] = [];
        for (const r of all) {
          await tick();
          if (options.signal?.aborted) break;
          replies.push(r);
          options.onReply?.(r);
          if (replies.length >= max) break;
        }
        const stopped = options.signal?.aborted ? 'aborted' : replies.length >= max ? 'count' : 'quiet';
        const elapsed = (replies.at(-1)?.elapsed ?? 0) + (stopped === 'quiet' ? (options.quiet ?? 500) : 0);
        if (!replies.length)
          return { outcome: 'no-reply', error: new NunectError('TIMEOUT', 'no reply'), time, size: m.payload.length, replies, elapsed, stopped };
        return { outcome: 'ok', time, size: m.payload.length, replies, elapsed, stopped };
      },
    };
  };
}
