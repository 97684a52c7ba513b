/**
 * A stand-in {@link UnitsSource} for tests and stories, on the fake client's request responders
 * (test/support/fake-client.ts): the registry is the body answered on `….UNITS`
 * (`{ units: UnitRecord[], controller?: ControllerRecord }`), asked every `every` ms, and each
 * difference reported as a watch would (puts, removals); a unit's events are the body answered on
 * `….UNIT_EVENTS` (an array of UnitEvent, oldest first, for the `{account, unit}` asked). A
 * rejected first request rejects the watch; later failures and malformed bodies are problems.
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import type { ControllerRecord, UnitEvent, UnitRecord } from '../../client/units.js';
import type { UnitsSource, UnitsSourceFactory } from './units-source.js';
import { pollFake } from '../../test/support/fake-poll.js';

export const FAKE_UNITS_SUBJECT = 'fake.kv.OPS_UNITS.UNITS';
export const FAKE_UNIT_EVENTS_SUBJECT = 'fake.stream.OPS_UNIT_EVENTS.UNIT_EVENTS';

export interface FakeRegistry {
  units: UnitRecord[];
  controller?: ControllerRecord;
}

function read(msg: { json<T>(): T }): FakeRegistry {
  let body: FakeRegistry;
  try {
    body = msg.json<FakeRegistry>();
  } catch (err) {
    throw new NunectError('NATS', `malformed reply from ${FAKE_UNITS_SUBJECT}`, { cause: err });
  }
  if (!body || !Array.isArray(body.units)) throw new NunectError('NATS', `malformed reply from ${FAKE_UNITS_SUBJECT}`);
  return body;
}

export function fakeUnitsSource(every = 50): UnitsSourceFactory {
  return (client: NunectClient): UnitsSource => ({
    async watch(h) {
      const seen = new Map<string, string>();
      let controller = '';
      const apply = (body: FakeRegistry) => {
        const keys = new Set<string>();
        for (const u of body.units) {
          const key = `${u.account}.${u.unit}`;
          keys.add(key);
          const json = JSON.stringify(u);
          if (seen.get(key) !== json) {
            seen.set(key, json);
            h.put(key, u);
          }
        }
        for (const key of [...seen.keys()])
          if (!keys.has(key)) {
            seen.delete(key);
            h.remove(key);
          }
        const c = JSON.stringify(body.controller ?? null);
        if (body.controller && c !== controller) h.controller(body.controller);
        controller = c;
      };
      apply(read(await client.request(FAKE_UNITS_SUBJECT).catch((e: unknown) => Promise.reject(toNunectError(e)))));
      h.initialized();
      return pollFake(
        every,
        async () => read(await client.request(FAKE_UNITS_SUBJECT)),
        apply,
        (e) => h.problem(e),
      );
    },
    async timeline(account, unit, limit) {
      const msg = await client.request(FAKE_UNIT_EVENTS_SUBJECT, JSON.stringify({ account, unit }));
      const events = msg.json<UnitEvent[]>();
      return events
        .filter((e) => e.account === account && e.unit === unit)
        .reverse()
        .slice(0, limit);
    },
  });
}
