/**
 * Services-protocol replies for tests and stories: a fleet described in a few fields becomes the
 * bodies that `$SRV.INFO`, `$SRV.STATS` and `$SRV.PING.<name>.<id>` answer (the JSON
 * `@nats-io/services` sends). `fleetReplies(fleet)` returns them by subject suffix — the shape
 * of the fake client's responders (test/support/fake-client.ts: `INFO`, `STATS`, and one entry per
 * instance id for its ping) — so the real {@link natsServicesSource} runs on the fake client.
 */
import type { NunectClient } from '../../client/index.js';
import { natsServicesSource, type ServicesSource, type ServicesSourceFactory } from './services-source.js';

export interface FakeEndpoint {
  name: string;
  subject?: string;
  queueGroup?: string;
  metadata?: Record<string, string>;
  requests?: number;
  errors?: number;
  /** Average processing time, nanoseconds. */
  averageNs?: number;
  lastError?: string;
}

export interface FakeInstance {
  name: string;
  id: string;
  version: string;
  description?: string;
  metadata?: Record<string, string>;
  /** ISO time the instance started. */
  started: string;
  endpoints: FakeEndpoint[];
  /** It answers INFO and STATS but not its ping. */
  noPing?: boolean;
}

const INFO = 'io.nats.micro.v1.info_response';
const STATS = 'io.nats.micro.v1.stats_response';
const PING = 'io.nats.micro.v1.ping_response';

export function infoBody(i: FakeInstance): Record<string, unknown> {
  return {
    type: INFO,
    name: i.name,
    id: i.id,
    version: i.version,
    description: i.description ?? '',
    metadata: i.metadata ?? {},
    endpoints: i.endpoints.map((e) => ({ name: e.name, subject: e.subject ?? `${i.name}.${e.name}`, queue_group: e.queueGroup ?? 'q', metadata: e.metadata })),
  };
}

export function statsBody(i: FakeInstance): Record<string, unknown> {
  return {
    type: STATS,
    name: i.name,
    id: i.id,
    version: i.version,
    started: i.started,
    metadata: i.metadata ?? {},
    endpoints: i.endpoints.map((e) => ({
      name: e.name,
      subject: e.subject ?? `${i.name}.${e.name}`,
      queue_group: e.queueGroup ?? 'q',
      num_requests: e.requests ?? 0,
      num_errors: e.errors ?? 0,
      processing_time: (e.averageNs ?? 0) * (e.requests ?? 0),
      average_processing_time: e.averageNs ?? 0,
      last_error: e.lastError ?? '',
    })),
  };
}

export function pingBody(i: FakeInstance): Record<string, unknown> {
  return { type: PING, name: i.name, id: i.id, version: i.version, metadata: i.metadata ?? {} };
}

/** The fleet's replies by subject suffix: `INFO`, `STATS` (every instance) and `<id>` (its ping). */
export function fleetReplies(fleet: readonly FakeInstance[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = { INFO: fleet.map(infoBody), STATS: fleet.map(statsBody) };
  for (const i of fleet) if (!i.noPing) out[i.id] = [pingBody(i)];
  return out;
}

/** Something that answers by subject suffix, as the fake client does (`respond(suffix, bodies)`). */
export interface SuffixResponder {
  respond(suffix: string, bodies: unknown[]): void;
  responders: Map<string, unknown>;
}

const served = new WeakMap<SuffixResponder, string[]>();

/** Makes `fake` answer as `fleet` (an earlier fleet's pings stop: its instances are gone). */
export function serveFleet(fake: SuffixResponder, fleet: readonly FakeInstance[]): void {
  for (const key of served.get(fake) ?? []) fake.responders.delete(key);
  const replies = fleetReplies(fleet);
  for (const [suffix, bodies] of Object.entries(replies)) fake.respond(suffix, bodies);
  served.set(
    fake,
    Object.keys(replies).filter((k) => k !== 'INFO' && k !== 'STATS'),
  );
}

/** The real source (the fake client answers the protocol); for symmetry with the other widgets' fakes. */
export const fakeServicesSource: ServicesSourceFactory = (client: NunectClient): ServicesSource => natsServicesSource(client);

/** A small fleet: two versions of `calc` (version skew, errors on `divide`) and an `echo` service. */
export function sampleFleet(now: number): FakeInstance[] {
  const started = (agoMs: number) => new Date(now - agoMs).toISOString();
  return [
    {
      name: 'calc',
      id: 'CALC1AAAAAAAAAAAAAAAAA',
      version: '1.0.0',
      description: 'Adds and divides',
      metadata: { region: 'eu-west' },
      started: started(3_600_000),
      endpoints: [
        { name: 'add', requests: 120, errors: 0, averageNs: 250_000 },
        { name: 'divide', requests: 40, errors: 4, averageNs: 1_500_000, lastError: '400:division by zero' },
      ],
    },
    {
      name: 'calc',
      id: 'CALC2BBBBBBBBBBBBBBBBB',
      version: '1.1.0',
      description: 'Adds and divides',
      metadata: { region: 'eu-west' },
      started: started(600_000),
      endpoints: [
        { name: 'add', requests: 10, errors: 0, averageNs: 200_000 },
        { name: 'divide', requests: 5, errors: 0, averageNs: 900_000 },
      ],
    },
    {
      name: 'echo',
      id: 'ECHO1CCCCCCCCCCCCCCCCC',
      version: '0.3.2',
      description: 'Says it back',
      started: started(86_400_000),
      endpoints: [{ name: 'echo', subject: 'echo.say', queueGroup: 'echoes', requests: 3, errors: 0, averageNs: 50_000 }],
    },
  ];
}
