/**
 * Server statistics history without Prometheus: the Controller (OPS account) keeps a per-minute
 * summary of every server's `$SYS.SERVER.<id>.STATSZ` samples (stream `OPS_STATSZ`, 24 h) and
 * answers `ops.history.statsz` (OPS exports `ops.history.>` as a service, SYS imports it, so the
 * dashboard's system users ask it across accounts; config/links.conf). This module is the contract
 * of that request and reply, the summary itself (pure: time comes in as an argument, so the
 * Controller and the tests share it) and the request helper the widgets use. Lit-free.
 *
 * Request `{ "range": "1h" | "24h", "points"?: 1–1440 (default 60) }`; reply
 * {@link StatszHistoryReply}, or `{ "error": "…" }` for a bad request.
 */
import { NunectError } from './errors.js';
import type { Msg, RequestOptions } from './client.js';

/** The subject the Controller answers (in OPS; imported into SYS under the same name). */
export const STATSZ_HISTORY_SUBJECT = 'ops.history.statsz';

/** The ranges the Controller keeps, in ms. */
export const HISTORY_RANGES = { '1h': 3_600_000, '24h': 86_400_000 } as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** Bins asked when the request does not say, and the most a request may ask. */
export const DEFAULT_HISTORY_POINTS = 60;
export const MAX_HISTORY_POINTS = 1440;

const MINUTE = 60_000;
/** How far back the summary keeps minutes (the stream's max age). */
export const HISTORY_WINDOW = HISTORY_RANGES['24h'];

export interface StatszHistoryQuery {
  range: HistoryRange;
  points: number;
}

/** One bin of one server: rates per second over the bin, the gauges' last value in it. */
export interface StatszBin {
  /** The bin's start (ISO). */
  t: string;
  /** Seconds of counter data the rates are computed over (at most the bin's length). */
  seconds: number;
  /** Per second over the bin, from STATSZ `received.msgs`; null without two samples in the bin. */
  in_msgs: number | null;
  /** From `sent.msgs`. */
  out_msgs: number | null;
  /** From `received.bytes`. */
  in_bytes: number | null;
  /** From `sent.bytes`. */
  out_bytes: number | null;
  /** The last sample's values in the bin (null when none fell in it). */
  connections: number | null;
  mem: number | null;
  cpu: number | null;
}

export interface StatszHistoryServer {
  id: string;
  name: string;
  /** Only the bins with data, oldest first. */
  bins: StatszBin[];
}

export interface StatszHistoryReply {
  range: HistoryRange;
  /** Every bin's length: range / points, rounded up to whole minutes. */
  bin_seconds: number;
  /** The first bin's start and the Controller's "now" (ISO). */
  from: string;
  to: string;
  servers: StatszHistoryServer[];
}

const RATE_KEYS = ['in_msgs', 'out_msgs', 'in_bytes', 'out_bytes'] as const;
export type StatszRate = (typeof RATE_KEYS)[number];
export const STATSZ_RATES: readonly StatszRate[] = RATE_KEYS;

const SHAPE = '{"range": "1h" | "24h", "points"?: 1–1440}';

/** Reads a request body; `{error}` says what is wrong with it, for people. */
export function parseHistoryQuery(body: string | Uint8Array): StatszHistoryQuery | { error: string } {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  let q: unknown;
  try {
    q = JSON.parse(text);
  } catch {
    return { error: `the request is not JSON; send ${SHAPE}` };
  }
  if (!q || typeof q !== 'object' || Array.isArray(q)) return { error: `the request is not a JSON object; send ${SHAPE}` };
  const { range, points = DEFAULT_HISTORY_POINTS } = q as { range?: unknown; points?: unknown };
  if (typeof range !== 'string' || !Object.hasOwn(HISTORY_RANGES, range)) {
    return { error: `range must be "1h" or "24h", not ${JSON.stringify(range) ?? 'missing'}` };
  }
  if (typeof points !== 'number' || !Number.isInteger(points) || points < 1 || points > MAX_HISTORY_POINTS) {
    return { error: `points must be a whole number from 1 to ${MAX_HISTORY_POINTS}, not ${JSON.stringify(points)}` };
  }
  return { range: range as HistoryRange, points };
}

/** A bin's length in ms for a range cut in `points`: whole minutes (the summary's resolution), at least one. */
export function historyBinMs(range: HistoryRange, points: number): number {
  return Math.max(1, Math.ceil(HISTORY_RANGES[range] / Math.max(1, points) / MINUTE)) * MINUTE;
}

/** One STATSZ sample, as the summary keeps it. */
export interface StatszSample {
  id: string;
  name: string;
  /** The server's clock when it sent the sample, ms. */
  time: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  connections?: number;
  mem?: number;
  cpu?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * A STATSZ message (`{server, statsz}` as published on `$SYS.SERVER.<id>.STATSZ`, or the request
 * form `{server, data}`) as a sample; undefined when it is not one. `fallbackTime` (e.g. the stream
 * message's time) is used when the server's `time` is missing.
 */
export function statszSample(body: unknown, fallbackTime?: number): StatszSample | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { server, statsz, data } = body as { server?: Record<string, unknown>; statsz?: Record<string, unknown>; data?: Record<string, unknown> };
  const s = statsz ?? data;
  if (!server || typeof server.id !== 'string' || !server.id || !s || typeof s !== 'object') return undefined;
  const time = typeof server.time === 'string' ? Date.parse(server.time) : NaN;
  const at = Number.isFinite(time) ? time : fallbackTime;
  const sent = (s.sent ?? {}) as Record<string, unknown>;
  const received = (s.received ?? {}) as Record<string, unknown>;
  const counters = [num(received.msgs), num(sent.msgs), num(received.bytes), num(sent.bytes)];
  if (at === undefined || !Number.isFinite(at) || counters.some((c) => c === undefined)) return undefined;
  return {
    id: server.id,
    name: typeof server.name === 'string' && server.name ? server.name : server.id,
    time: at,
    in_msgs: counters[0]!,
    out_msgs: counters[1]!,
    in_bytes: counters[2]!,
    out_bytes: counters[3]!,
    connections: num(s.connections),
    mem: num(s.mem),
    cpu: num(s.cpu),
  };
}

/** One minute of one server: counter increases and the seconds they cover (per counter), gauges. */
interface Minute {
  t: number;
  /** Per counter, in the order of {@link STATSZ_RATES}. */
  delta: number[];
  seconds: number[];
  connections?: number;
  mem?: number;
  cpu?: number;
}

interface Track {
  id: string;
  name: string;
  last?: { time: number; counters: number[] };
  /** Oldest first; at most one per minute of the window. */
  minutes: Minute[];
}

/**
 * The per-minute summary of every server's STATSZ samples over the last 24 h (bounded: at most
 * 1,441 minutes per server, servers silent for 24 h forgotten). Counter increases between two
 * samples of a server are spread over the minutes between them; a counter that went down (the
 * server restarted) contributes nothing for that interval. Samples must come in order per server:
 * one not newer than the server's last is ignored (a duplicate from the stream and the live feed).
 */
export class StatszSummary {
  readonly window: number;
  #servers = new Map<string, Track>();

  constructor(window = HISTORY_WINDOW) {
    this.window = window;
  }

  /** Servers and minutes kept (memory is bounded by both). */
  get size(): { servers: number; minutes: number } {
    let minutes = 0;
    for (const t of this.#servers.values()) minutes += t.minutes.length;
    return { servers: this.#servers.size, minutes };
  }

  /** Adds a sample; false when it was ignored (older than the server's last, or out of the window). */
  add(sample: StatszSample, now: number): boolean {
    const oldest = now - this.window;
    if (sample.time < oldest) return false;
    let track = this.#servers.get(sample.id);
    if (!track) {
      track = { id: sample.id, name: sample.name, minutes: [] };
      this.#servers.set(sample.id, track);
    }
    const last = track.last;
    if (last && sample.time <= last.time) return false;
    track.name = sample.name;
    const counters = [sample.in_msgs, sample.out_msgs, sample.in_bytes, sample.out_bytes];
    if (last) {
      const start = Math.max(last.time, oldest);
      const span = sample.time - last.time;
      for (let m = Math.floor(start / MINUTE) * MINUTE; m < sample.time; m += MINUTE) {
        const overlap = Math.min(sample.time, m + MINUTE) - Math.max(start, m);
        if (overlap <= 0) continue;
        const minute = this.#minute(track, m);
        for (let i = 0; i < 4; i++) {
          const delta = counters[i]! - last.counters[i]!;
          if (delta < 0) continue;
          minute.delta[i]! += (delta * overlap) / span;
          minute.seconds[i]! += overlap / 1000;
        }
      }
    }
    const minute = this.#minute(track, Math.floor(sample.time / MINUTE) * MINUTE);
    if (sample.connections !== undefined) minute.connections = sample.connections;
    if (sample.mem !== undefined) minute.mem = sample.mem;
    if (sample.cpu !== undefined) minute.cpu = sample.cpu;
    track.last = { time: sample.time, counters };
    this.prune(now);
    return true;
  }

  /** Forgets minutes older than the window, and servers with none left. */
  prune(now: number): void {
    const oldest = Math.floor((now - this.window) / MINUTE) * MINUTE;
    for (const [id, track] of this.#servers) {
      let drop = 0;
      while (drop < track.minutes.length && track.minutes[drop]!.t < oldest) drop++;
      if (drop) track.minutes.splice(0, drop);
      if (!track.minutes.length && (!track.last || track.last.time < now - this.window)) this.#servers.delete(id);
    }
  }

  /** The reply to a query at `now`: bins of `range / points` (whole minutes), only those with data. */
  query(q: StatszHistoryQuery, now: number): StatszHistoryReply {
    this.prune(now);
    const bin = historyBinMs(q.range, q.points);
    const count = Math.ceil(HISTORY_RANGES[q.range] / bin);
    const from = Math.floor(now / bin) * bin - (count - 1) * bin;
    const servers: StatszHistoryServer[] = [];
    for (const track of this.#servers.values()) {
      const bins: StatszBin[] = [];
      let current: { t: number; delta: number[]; seconds: number[]; connections?: number; mem?: number; cpu?: number } | undefined;
      const close = () => {
        if (!current) return;
        const rate = (i: number) => (current!.seconds[i]! > 0 ? current!.delta[i]! / current!.seconds[i]! : null);
        bins.push({
          t: new Date(current.t).toISOString(),
          seconds: Math.round(Math.max(...current.seconds)),
          in_msgs: rate(0),
          out_msgs: rate(1),
          in_bytes: rate(2),
          out_bytes: rate(3),
          connections: current.connections ?? null,
          mem: current.mem ?? null,
          cpu: current.cpu ?? null,
        });
      };
      for (const m of track.minutes) {
        if (m.t < from) continue;
        const t = Math.floor(m.t / bin) * bin;
        if (current?.t !== t) {
          close();
          current = { t, delta: [0, 0, 0, 0], seconds: [0, 0, 0, 0] };
        }
        for (let i = 0; i < 4; i++) {
          current.delta[i]! += m.delta[i]!;
          current.seconds[i]! += m.seconds[i]!;
        }
        if (m.connections !== undefined) current.connections = m.connections;
        if (m.mem !== undefined) current.mem = m.mem;
        if (m.cpu !== undefined) current.cpu = m.cpu;
      }
      close();
      if (bins.length) servers.push({ id: track.id, name: track.name, bins });
    }
    servers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { range: q.range, bin_seconds: bin / 1000, from: new Date(from).toISOString(), to: new Date(now).toISOString(), servers };
  }

  #minute(track: Track, t: number): Minute {
    const list = track.minutes;
    const tail = list[list.length - 1];
    if (tail?.t === t) return tail;
    const fresh: Minute = { t, delta: [0, 0, 0, 0], seconds: [0, 0, 0, 0] };
    if (!tail || tail.t < t) {
      list.push(fresh);
      return fresh;
    }
    // Not expected (samples come in order), but kept correct: insert in place.
    let i = list.length - 1;
    while (i > 0 && list[i - 1]!.t >= t) i--;
    if (list[i]!.t === t) return list[i]!;
    list.splice(i, 0, fresh);
    return fresh;
  }
}

/** Replies larger than this are refused (a 24 h reply of 1,440 points is ~200 kB a server). */
export const MAX_HISTORY_REPLY_BYTES = 8 * 1024 * 1024;

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Checks a reply's shape (the Controller's `{error}` becomes a `NATS` NunectError saying it). */
export function parseHistoryReply(msg: Pick<Msg, 'data'>): StatszHistoryReply {
  if (msg.data.length > MAX_HISTORY_REPLY_BYTES) {
    throw new NunectError('NATS', `the history reply of ${msg.data.length} bytes is larger than the ${MAX_HISTORY_REPLY_BYTES}-byte limit`);
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(msg.data));
  } catch {
    throw new NunectError('NATS', 'malformed history reply: not JSON');
  }
  if (!body || typeof body !== 'object') throw new NunectError('NATS', 'malformed history reply: not an object');
  const r = body as Record<string, unknown>;
  if (typeof r.error === 'string') throw new NunectError('NATS', `the Controller refused the request: ${r.error}`);
  const binSeconds = finite(r.bin_seconds);
  if (!Object.hasOwn(HISTORY_RANGES, String(r.range)) || !binSeconds || binSeconds <= 0 || !Array.isArray(r.servers)) {
    throw new NunectError('NATS', 'malformed history reply: no range, bin_seconds or servers');
  }
  const servers: StatszHistoryServer[] = [];
  for (const s of r.servers as unknown[]) {
    const server = s as { id?: unknown; name?: unknown; bins?: unknown };
    if (!server || typeof server.id !== 'string' || !Array.isArray(server.bins))
      throw new NunectError('NATS', 'malformed history reply: a server without id or bins');
    const bins: StatszBin[] = [];
    for (const b of server.bins as Array<Record<string, unknown>>) {
      if (!b || typeof b.t !== 'string' || !Number.isFinite(Date.parse(b.t))) continue;
      bins.push({
        t: b.t,
        seconds: finite(b.seconds) ?? 0,
        in_msgs: finite(b.in_msgs),
        out_msgs: finite(b.out_msgs),
        in_bytes: finite(b.in_bytes),
        out_bytes: finite(b.out_bytes),
        connections: finite(b.connections),
        mem: finite(b.mem),
        cpu: finite(b.cpu),
      });
    }
    servers.push({ id: server.id, name: typeof server.name === 'string' ? server.name : server.id, bins });
  }
  return { range: r.range as HistoryRange, bin_seconds: binSeconds, from: String(r.from ?? ''), to: String(r.to ?? ''), servers };
}

/** What a request needs of a client (NunectClient, or a fake in tests). */
export interface HistoryRequester {
  request(subject: string, data?: string, options?: RequestOptions): Promise<Pick<Msg, 'data'>>;
}

/**
 * Asks the Controller for a range of server statistics. Rejects with the client's NunectError
 * (`NO_RESPONDERS`: no Controller runs, or this account does not import the service; `TIMEOUT`;
 * `PERMISSION_DENIED`) or a `NATS` one for a refused request or a malformed reply.
 */
export async function requestStatszHistory(
  client: HistoryRequester,
  query: { range: HistoryRange; points?: number },
  options: { timeout?: number } = {},
): Promise<StatszHistoryReply> {
  const msg = await client.request(STATSZ_HISTORY_SUBJECT, JSON.stringify({ range: query.range, points: query.points ?? DEFAULT_HISTORY_POINTS }), {
    timeout: options.timeout ?? 5_000,
  });
  return parseHistoryReply(msg);
}
