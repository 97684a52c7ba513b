/**
 * Units as the Controller keeps them and the dashboard shows them: the registry record of a unit
 * (JetStream KV `OPS_UNITS`, key `<account>.<unit>`), the state changes it records
 * (`ops.units.events.<account>.<unit>`, stream `OPS_UNIT_EVENTS`), the names of the OPS streams,
 * and the one state machine both sides use. Lit-free, pure (time comes in as an argument).
 *
 * States: `alive` (heartbeats arrive), `late` (2 missed heartbeats, or its connection closed),
 * `lost` (5 missed), `stopped` (a `stopping` heartbeat: a clean stop). A lost unit stays listed.
 */
import type { CheckOutcome, Heartbeat, UnitLoad, UnitStatus } from './guardian.js';

export type UnitState = 'alive' | 'late' | 'lost' | 'stopped';

/** The OPS account's buckets, streams and subjects (config/links.conf imports `<account>.ops.>`). */
export const OPS = {
  /** KV: the registry, one key per unit (`<account>.<unit>`), plus `_controller`. */
  registry: 'OPS_UNITS',
  /** Stream of state changes, `ops.units.events.<account>.<unit>`. */
  events: 'OPS_UNIT_EVENTS',
  eventSubject: (account: string, unit: string) => `ops.units.events.${account}.${unit}`,
  /** Stream of every unit's log records, `<account>.ops.log.<level>.<unit>`. */
  logs: 'OPS_LOGS',
  /** Stream of audit records of page actions, `<account>.ops.audit.<action>`. */
  audit: 'OPS_AUDIT',
  /** Stream of server statistics, `sys.statsz.<server id>` (24 h). */
  statsz: 'OPS_STATSZ',
  /** Stream of liveness markers (2.11+: per-message TTL, the server pushes their expiry). */
  live: 'OPS_UNITS_LIVE',
  /** Heartbeats of every account, as OPS sees them. */
  heartbeats: '*.ops.health.*',
  logSubjects: '*.ops.log.>',
} as const;

/** The registry key of the Controller's own record (how liveness is detected, its version). */
export const CONTROLLER_KEY = '_controller';

export interface UnitRecord {
  unit: string;
  /** The account it lives in, lower case (`bridge`), from the subject OPS sees it on. */
  account: string;
  kind?: string;
  version?: string;
  host?: string;
  pid?: number;
  state: UnitState;
  /** Its own status from its checks (ok, degraded, failing) in the last heartbeat. */
  status: UnitStatus;
  /** Why it is in this state or status ("heartbeat expired 12 s ago", "check db failed: timeout"). */
  reason?: string;
  /** When the state last changed (ms since the epoch). */
  since: number;
  firstSeen: number;
  lastBeat?: number;
  /** The unit's own start time (ISO 8601) of its current run. */
  started?: string;
  seq?: number;
  interval: number;
  /** Runs seen to begin (a changed `started`), and supervisor restarts reported by the unit. */
  restarts: number;
  /** Times it came back from late or lost without restarting. */
  flaps: number;
  checks: CheckOutcome[];
  load?: UnitLoad;
  rtt?: number;
}

/** One recorded state change. */
export interface UnitEvent {
  time: number;
  unit: string;
  account: string;
  from?: UnitState;
  to: UnitState;
  status?: UnitStatus;
  reason: string;
}

/** The Controller's record: how it detects late and lost units. */
export interface ControllerRecord {
  version: string;
  started: number;
  /** `markers`: the server pushes expiries (per-message TTL, nats-server 2.11+); `timer`: the Controller sweeps. */
  liveness: 'markers' | 'timer';
  serverVersion?: string;
  lateAfterBeats: number;
  lostAfterBeats: number;
}

export const LATE_AFTER_BEATS = 2;
export const LOST_AFTER_BEATS = 5;

/** Milliseconds after the last heartbeat when a unit is late, and lost (half a beat of slack). */
export function lateAfter(interval: number): number {
  return Math.round((LATE_AFTER_BEATS + 0.5) * interval);
}
export function lostAfter(interval: number): number {
  return Math.round((LOST_AFTER_BEATS + 0.5) * interval);
}

const ago = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s ago`;

/** A heartbeat arrived: the new record and the event, if the state or status changed. */
export function onHeartbeat(previous: UnitRecord | undefined, hb: Heartbeat, account: string, now: number): { record: UnitRecord; event?: UnitEvent } {
  const restarted = previous?.started !== undefined && previous.started !== hb.started;
  const stopping = hb.status === 'stopping';
  const state: UnitState = stopping ? 'stopped' : 'alive';
  const status: UnitStatus = stopping ? (previous?.status ?? 'ok') : hb.status;
  const comeback = !restarted && (previous?.state === 'late' || previous?.state === 'lost');
  const reason = stopping
    ? `stopped: ${hb.reason ?? 'a clean stop'}`
    : restarted
      ? `restarted (running since ${hb.started})`
      : hb.status !== 'ok'
        ? (hb.reason ?? hb.status)
        : previous && previous.state !== 'alive'
          ? `heartbeats again after ${previous.state === 'stopped' ? 'a stop' : `being ${previous.state}`}`
          : 'heartbeats arrive';
  const changed = !previous || previous.state !== state || previous.status !== status || restarted;
  const record: UnitRecord = {
    unit: hb.unit,
    account,
    ...(hb.kind ? { kind: hb.kind } : {}),
    ...(hb.version ? { version: hb.version } : {}),
    ...(hb.host ? { host: hb.host } : {}),
    ...(hb.pid !== undefined ? { pid: hb.pid } : {}),
    state,
    status,
    reason: changed ? reason : (previous?.reason ?? reason),
    since: changed ? now : previous!.since,
    firstSeen: previous?.firstSeen ?? now,
    lastBeat: now,
    started: hb.started,
    seq: hb.seq,
    interval: hb.interval,
    restarts: (previous?.restarts ?? 0) + (restarted ? 1 : 0),
    flaps: (previous?.flaps ?? 0) + (comeback ? 1 : 0),
    checks: hb.checks ?? [],
    ...(hb.load ? { load: hb.load } : {}),
    ...(hb.rtt !== undefined ? { rtt: hb.rtt } : {}),
  };
  return {
    record,
    ...(changed ? { event: { time: now, unit: hb.unit, account, ...(previous ? { from: previous.state } : {}), to: state, status, reason } } : {}),
  };
}

/** Time passed with no heartbeat: late or lost, if the silence is long enough. */
export function onSilence(record: UnitRecord, now: number): { record: UnitRecord; event: UnitEvent } | undefined {
  if (record.state === 'stopped' || record.state === 'lost' || record.lastBeat === undefined) return undefined;
  const silent = now - record.lastBeat;
  const to: UnitState | undefined =
    silent >= lostAfter(record.interval) ? 'lost' : silent >= lateAfter(record.interval) && record.state !== 'late' ? 'late' : undefined;
  if (!to) return undefined;
  const reason = `heartbeat expired ${ago(silent)}`;
  return {
    record: { ...record, state: to, reason, since: now },
    event: { time: now, unit: record.unit, account: record.account, from: record.state, to, status: record.status, reason },
  };
}

/**
 * Its connection closed (a DISCONNECT event naming it): late at once, with the server's reason
 * (it may reconnect, e.g. after a kick); lost when its heartbeats stay away (onSilence).
 */
export function onDisconnect(record: UnitRecord, why: string, now: number): { record: UnitRecord; event: UnitEvent } | undefined {
  if (record.state !== 'alive') return undefined;
  const reason = `disconnected: ${why}`;
  return {
    record: { ...record, state: 'late', reason, since: now },
    event: { time: now, unit: record.unit, account: record.account, from: record.state, to: 'late', status: record.status, reason },
  };
}

/** `<account>.<unit>` of a heartbeat or log subject as OPS sees it (`bridge.ops.health.bridge-1`). */
export function unitOfSubject(subject: string): { account: string; unit: string } | undefined {
  const t = subject.split('.');
  if (t.length < 4 || t[1] !== 'ops') return undefined;
  return { account: t[0]!, unit: t[t.length - 1]! };
}
