/**
 * A stand-in {@link LogSource} for tests and stories, on the fake client's request responders
 * (test/support/fake-client.ts): the stream is the array answered on `….LOGS` (records
 * `{subject, data}`, oldest first), asked every `every` ms; the tail opens with its last
 * `history` records and then delivers each record appended to the array, once, in order (as an
 * ordered consumer would). A rejected first request rejects the tail; later failures and a
 * malformed body are problems.
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import type { LogSource, LogSourceFactory } from './log-source.js';
import { pollFake } from '../../test/support/fake-poll.js';

export const FAKE_LOGS_SUBJECT = 'fake.stream.OPS_LOGS.LOGS';

export interface FakeLogRecord {
  subject: string;
  data: unknown;
}

function read(msg: { json<T>(): T }): FakeLogRecord[] {
  let body: unknown;
  try {
    body = msg.json();
  } catch (err) {
    throw new NunectError('NATS', `malformed reply from ${FAKE_LOGS_SUBJECT}`, { cause: err });
  }
  if (!Array.isArray(body)) throw new NunectError('NATS', `malformed reply from ${FAKE_LOGS_SUBJECT}`);
  return body as FakeLogRecord[];
}

export function fakeLogSource(every = 20): LogSourceFactory {
  return (client: NunectClient): LogSource => ({
    async open(h, { history }) {
      const stream = read(await client.request(FAKE_LOGS_SUBJECT).catch((e: unknown) => Promise.reject(toNunectError(e))));
      let delivered = Math.max(0, stream.length - Math.max(0, Math.floor(history)));
      const deliver = (all: FakeLogRecord[]) => {
        for (; delivered < all.length; delivered++) {
          const r = all[delivered]!;
          h.record({ subject: r.subject, seq: delivered + 1, data: typeof r.data === 'string' ? r.data : JSON.stringify(r.data) });
        }
      };
      deliver(stream);
      h.historyDone();
      return pollFake(
        every,
        async () => read(await client.request(FAKE_LOGS_SUBJECT)),
        deliver,
        (e) => h.problem(e),
      );
    },
  });
}
