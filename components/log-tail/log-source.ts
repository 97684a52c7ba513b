/**
 * Where `<nunect-log-tail>` reads unit logs from, Lit-free: the OPS account's stream `OPS_LOGS`
 * (subjects `<account>.ops.log.<level>.<unit>`, imported from each account's `ops.log.>`), read
 * by one ordered consumer that starts `history` records before the end and then follows the
 * stream live — history and live records in order, none twice, none missing. The widget takes a
 * {@link LogSourceFactory}; the default, {@link streamLogSource}, reads through
 * `@nats-io/jetstream` on the nunect client's connection. Tests and stories pass a fake.
 */
import type { NunectClient } from '../../client/index.js';
import { OPS } from '../../client/units.js';
import { decodeText } from '../../client/utf8.js';
import { opsError } from '../units/units-source.js';

/** One stored record as it arrives: its subject, its stream sequence and its payload text. */
export interface RawLogRecord {
  subject: string;
  /** The stream sequence (0 when unknown). */
  seq: number;
  data: string;
}

export interface LogHandlers {
  /** A record arrived (history first, then live). Called at any rate: batch before rendering. */
  record(raw: RawLogRecord): void;
  /** The history asked for has been delivered (also at once when the stream is empty). */
  historyDone(): void;
  /** The consumer failed after it began (the records so far stay valid); `undefined` once records arrive again. */
  problem(error: Error | undefined): void;
}

export interface LogTail {
  stop(): void;
}

export interface LogSource {
  /** Opens the tail with the last `history` stored records; rejects (a NunectError saying why) when the stream cannot be read. */
  open(handlers: LogHandlers, options: { history: number }): Promise<LogTail>;
}

export type LogSourceFactory = (client: NunectClient) => LogSource;

/** The tail of `OPS_LOGS` through an ordered consumer. */
export function streamLogSource(client: NunectClient): LogSource {
  return {
    async open(h, { history }) {
      let messages;
      let last = 0;
      try {
        // Loaded on demand: pages without a log tail never download the JetStream library.
        const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
        const jsm = await jetstreamManager(client.nc);
        const info = await jsm.streams.info(OPS.logs);
        last = info.state.last_seq;
        const first = Math.max(info.state.first_seq, last - Math.max(0, Math.floor(history)) + 1, 1);
        const consumer = await jetstream(client.nc).consumers.get(
          OPS.logs,
          last === 0 || history <= 0 ? { deliver_policy: 'new' as never } : { deliver_policy: 'by_start_sequence' as never, opt_start_seq: first },
        );
        messages = await consumer.consume();
      } catch (err) {
        throw opsError(err, `the unit logs (stream ${OPS.logs})`);
      }
      let done = false;
      const historyDone = () => {
        if (done) return;
        done = true;
        h.historyDone();
      };
      if (last === 0 || history <= 0) historyDone();
      void (async () => {
        try {
          for await (const m of messages) {
            h.record({ subject: m.subject, seq: m.seq, data: decodeText(m.data) });
            if (!done && (m.seq >= last || m.info.pending === 0)) historyDone();
          }
        } catch (err) {
          h.problem(opsError(err, `the unit logs (stream ${OPS.logs})`));
        }
      })();
      return { stop: () => void messages.close() };
    },
  };
}
