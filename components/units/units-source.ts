/**
 * Where `<nunect-units>` reads the unit registry from, Lit-free: the OPS account's KV bucket
 * `OPS_UNITS` (a watch: every record once, then every change, pushed by the server) and a unit's
 * state changes from the stream `OPS_UNIT_EVENTS`. The widget takes a {@link UnitsSourceFactory};
 * the default, {@link kvUnitsSource}, reads through `@nats-io/kv` and `@nats-io/jetstream` on the
 * nunect client's connection. Tests and stories pass a fake.
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { CONTROLLER_KEY, OPS, type ControllerRecord, type UnitEvent, type UnitRecord } from '../../client/units.js';

/** What a watch reports. */
export interface UnitsWatchHandlers {
  /** A unit's record, new or changed (key `<account>.<unit>`). */
  put(key: string, record: UnitRecord): void;
  /** A unit's record was deleted or purged. */
  remove(key: string): void;
  /** The Controller's record (`_controller`): how it detects late and lost units. */
  controller(record: ControllerRecord): void;
  /** Every record that existed when the watch began has been reported. */
  initialized(): void;
  /**
   * Something went wrong after the watch began (a malformed record, a lost consumer): the data so
   * far stays valid; `undefined` once records arrive again.
   */
  problem(error: NunectError | undefined): void;
}

export interface UnitsWatch {
  stop(): void;
}

export interface UnitsSource {
  /** Starts watching the registry; rejects (a NunectError saying why) when it cannot be read. */
  watch(handlers: UnitsWatchHandlers): Promise<UnitsWatch>;
  /** A unit's recorded state changes, newest first, at most `limit`. */
  timeline(account: string, unit: string, limit: number): Promise<UnitEvent[]>;
}

export type UnitsSourceFactory = (client: NunectClient) => UnitsSource;

/**
 * A JetStream failure in words a user can act on: the bucket or stream missing (no Controller
 * ran), JetStream off for the account (not the OPS account), or a refused permission.
 */
export function opsError(err: unknown, what: string): NunectError {
  if (explained.has(err as NunectError)) return err as NunectError;
  const e = explain(err, what);
  explained.add(e);
  return e;
}

const explained = new WeakSet<NunectError>();

function explain(err: unknown, what: string): NunectError {
  const e = toNunectError(err);
  const msg = e.message;
  const needs = `needs the OPS account's dashboard user (NATS_DASHBOARD_USER) and a running Controller`;
  if (/jetstream not enabled|503|no responders/i.test(msg) || e.code === 'NO_RESPONDERS')
    return new NunectError(e.code === 'NATS' ? 'NO_RESPONDERS' : e.code, `No JetStream for this user's account: ${what} ${needs} (${msg})`, { cause: err });
  if (/not found|404|10059/i.test(msg)) return new NunectError(e.code, `${what} does not exist: it ${needs} (${msg})`, { cause: err });
  if (e.code === 'PERMISSION_DENIED' || /permission/i.test(msg))
    return new NunectError('PERMISSION_DENIED', `Not allowed to read ${what}: it ${needs} (${msg})`, { cause: err });
  return new NunectError(e.code, `${what}: ${msg}`, { cause: err });
}

/** The registry and the timelines from the OPS account's KV bucket and event stream. */
export function kvUnitsSource(client: NunectClient): UnitsSource {
  const nc = client.nc;
  return {
    async watch(h) {
      let kv;
      let initial: number;
      try {
        // Loaded on demand: pages without the units widget never download the KV library.
        const { Kvm } = await import('@nats-io/kv');
        kv = await new Kvm(nc).open(OPS.registry);
        initial = (await kv.status()).values;
      } catch (err) {
        throw opsError(err, `the unit registry (KV ${OPS.registry})`);
      }
      let watch;
      try {
        watch = await kv.watch();
      } catch (err) {
        throw opsError(err, `the unit registry (KV ${OPS.registry})`);
      }
      let initialized = false;
      const ready = () => {
        if (initialized) return;
        initialized = true;
        h.initialized();
      };
      if (initial === 0) ready();
      void (async () => {
        try {
          for await (const e of watch) {
            if (e.operation !== 'PUT') {
              if (e.key !== CONTROLLER_KEY) h.remove(e.key);
            } else {
              try {
                if (e.key === CONTROLLER_KEY) h.controller(e.json<ControllerRecord>());
                else h.put(e.key, e.json<UnitRecord>());
                h.problem(undefined);
              } catch (err) {
                h.problem(new NunectError('NATS', `a malformed record in ${OPS.registry} (key ${e.key}): ${(err as Error).message}`, { cause: err }));
              }
            }
            if (e.isUpdate) ready();
          }
        } catch (err) {
          h.problem(opsError(err, `the unit registry watch (KV ${OPS.registry})`));
        }
      })();
      return { stop: () => watch.stop() };
    },

    async timeline(account, unit, limit) {
      const subject = OPS.eventSubject(account, unit);
      try {
        const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
        const jsm = await jetstreamManager(nc);
        const info = await jsm.streams.info(OPS.events, { subjects_filter: subject });
        const count = info.state.subjects?.[subject] ?? 0;
        if (count === 0) return [];
        const consumer = await jetstream(nc).consumers.get(OPS.events, { filter_subjects: subject });
        const events: UnitEvent[] = [];
        const messages = await consumer.fetch({ max_messages: count, expires: 5_000 });
        for await (const m of messages) {
          try {
            events.push(m.json<UnitEvent>());
          } catch {
            /* a malformed event: left out */
          }
          if (m.info.pending === 0) break;
        }
        return events.reverse().slice(0, limit);
      } catch (err) {
        throw opsError(err, `the unit events (stream ${OPS.events})`);
      }
    },
  };
}
