/**
 * What `<nunect-services>` knows across polls, Lit-free: every instance ever seen (one that stops
 * answering is kept, marked missing, with when it was last seen and how many polls it missed),
 * restarts (a `started` that moved), and per endpoint the request and error rates from the deltas
 * between two polls (the shared `RateTracker`, on the widget's clock). Grouped by service name,
 * then version; a name with two versions answering at once is version skew.
 */
import { RateTracker } from '../../src/monitor/rates.js';
import type { AbsentServer } from '../../src/monitor/roster.js';
import { instanceKey, type ServiceEndpointInfo, type ServiceEndpointStats, type ServiceInstanceReport, type ServicesPoll } from './services-source.js';

/** An endpoint as shown: INFO and STATS merged, with the rates of the last poll interval. */
export interface EndpointView {
  name: string;
  subject: string;
  queueGroup?: string;
  metadata?: Record<string, string>;
  stats?: ServiceEndpointStats;
  /** Requests per second between the last two polls (undefined after the first poll or a restart). */
  requestRate?: number;
  /** Errors per second between the last two polls. */
  errorRate?: number;
  /** Errors among the requests between the last two polls, percent (undefined without requests). */
  errorShare?: number;
}

/** One instance as tracked across polls. */
export interface InstanceView {
  key: string;
  name: string;
  id: string;
  version: string;
  description?: string;
  metadata?: Record<string, string>;
  /** When the instance says it started (STATS); the latest one. */
  started?: string;
  /** The `started` before the last restart seen, and how many restarts were seen. */
  previousStarted?: string;
  restarts: number;
  rtt?: number;
  endpoints: EndpointView[];
  /** Answered the last poll. */
  answering: boolean;
  firstSeen: number;
  lastSeen: number;
  /** Polls in a row it did not answer. */
  missedPolls: number;
  /** Since when it answers, or since when it does not. */
  since: number;
}

export interface VersionGroup {
  version: string;
  instances: InstanceView[];
}

export interface ServiceGroup {
  name: string;
  description?: string;
  versions: VersionGroup[];
  /** Versions answering now; more than one is skew. */
  answeringVersions: string[];
  skew: boolean;
}

interface Tracked {
  view: InstanceView;
  rates: Map<string, RateTracker<'requests' | 'errors'>>;
}

/** The `AbsentServer` of a missing instance, for the shared absent part (`src/parts/absent.ts`). */
export function absentInstance(i: InstanceView): AbsentServer {
  return { name: i.id, id: i.id, version: i.version, presence: 'missing', lastSeen: i.lastSeen, missedSurveys: i.missedPolls, since: i.since };
}

function mergeEndpoints(info: ServiceEndpointInfo[] | undefined, stats: ServiceEndpointStats[] | undefined): EndpointView[] {
  const out = new Map<string, EndpointView>();
  for (const e of info ?? []) out.set(e.name, { name: e.name, subject: e.subject, queueGroup: e.queueGroup, metadata: e.metadata });
  for (const s of stats ?? []) {
    const known = out.get(s.name);
    if (known) known.stats = s;
    else out.set(s.name, { name: s.name, subject: s.subject, queueGroup: s.queueGroup, stats: s });
  }
  return [...out.values()];
}

export class ServicesModel {
  #tracked = new Map<string, Tracked>();
  #polls = 0;
  #lastPoll?: ServicesPoll;

  /** How many polls were applied. */
  get polls(): number {
    return this.#polls;
  }

  /** The last poll applied. */
  get lastPoll(): ServicesPoll | undefined {
    return this.#lastPoll;
  }

  /** Every instance, answering or missing, by name, version and id. */
  get instances(): InstanceView[] {
    return [...this.#tracked.values()]
      .map((t) => t.view)
      .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, undefined, { numeric: true }) || a.id.localeCompare(b.id));
  }

  /** Takes a poll's answers, measured at `now` (ms, the widget's clock). */
  apply(poll: ServicesPoll, now: number): void {
    this.#polls++;
    this.#lastPoll = poll;
    const seen = new Set<string>();
    for (const r of poll.instances) {
      const key = instanceKey(r.name, r.id);
      seen.add(key);
      this.#update(key, r, now);
    }
    for (const [key, t] of this.#tracked) {
      if (seen.has(key)) continue;
      const v = t.view;
      if (v.answering) {
        v.answering = false;
        v.since = now;
        v.rtt = undefined;
        for (const r of t.rates.values()) r.reset();
        for (const e of v.endpoints) Object.assign(e, { requestRate: undefined, errorRate: undefined, errorShare: undefined });
      }
      v.missedPolls++;
    }
  }

  /** Forgets the instances that do not answer. */
  forgetMissing(): void {
    for (const [key, t] of this.#tracked) if (!t.view.answering) this.#tracked.delete(key);
  }

  clear(): void {
    this.#tracked.clear();
    this.#polls = 0;
    this.#lastPoll = undefined;
  }

  #update(key: string, r: ServiceInstanceReport, now: number): void {
    let t = this.#tracked.get(key);
    if (!t) {
      t = {
        rates: new Map(),
        view: {
          key,
          name: r.name,
          id: r.id,
          version: r.version,
          restarts: 0,
          endpoints: [],
          answering: true,
          firstSeen: now,
          lastSeen: now,
          missedPolls: 0,
          since: now,
        },
      };
      this.#tracked.set(key, t);
    }
    const v = t.view;
    const started = r.stats?.started;
    if (started && v.started && started !== v.started) {
      // A restart (or a stats reset): counters start over, so do the rates.
      v.previousStarted = v.started;
      v.restarts++;
      for (const rate of t.rates.values()) rate.reset();
    }
    if (!v.answering) {
      v.answering = true;
      v.since = now;
    }
    Object.assign(v, {
      version: r.version,
      description: r.description ?? v.description,
      metadata: r.metadata,
      started: started ?? v.started,
      rtt: r.rtt,
      lastSeen: now,
      missedPolls: 0,
    });
    // An answer without INFO (or STATS) keeps what the other verb said before.
    const previous = new Map(v.endpoints.map((e) => [e.name, e]));
    const endpoints = mergeEndpoints(
      r.endpoints ?? v.endpoints.map(({ name, subject, queueGroup, metadata }) => ({ name, subject, queueGroup, metadata })),
      r.stats?.endpoints ?? v.endpoints.flatMap((e) => (e.stats ? [e.stats] : [])),
    );
    for (const e of endpoints) {
      if (!e.stats || !r.stats) {
        const p = previous.get(e.name);
        if (p) Object.assign(e, { requestRate: p.requestRate, errorRate: p.errorRate, errorShare: p.errorShare });
        continue;
      }
      let rate = t.rates.get(e.name);
      if (!rate) t.rates.set(e.name, (rate = new RateTracker()));
      const rates = rate.update(now, { requests: e.stats.requests, errors: e.stats.errors });
      e.requestRate = rates?.requests;
      e.errorRate = rates?.errors;
      e.errorShare =
        rates?.requests !== undefined && rates.errors !== undefined && rates.requests > 0 ? Math.min(100, (rates.errors / rates.requests) * 100) : undefined;
    }
    v.endpoints = endpoints;
  }

  /** The instances by service name, then version (newest poll's view). */
  groups(): ServiceGroup[] {
    const byName = new Map<string, InstanceView[]>();
    for (const i of this.instances) {
      const list = byName.get(i.name) ?? [];
      list.push(i);
      byName.set(i.name, list);
    }
    return [...byName].map(([name, list]) => {
      const versions = new Map<string, InstanceView[]>();
      for (const i of list) versions.set(i.version, [...(versions.get(i.version) ?? []), i]);
      const answeringVersions = [...new Set(list.filter((i) => i.answering).map((i) => i.version))].sort((a, b) =>
        a.localeCompare(b, undefined, { numeric: true }),
      );
      return {
        name,
        description: list.find((i) => i.answering && i.description)?.description ?? list.find((i) => i.description)?.description,
        versions: [...versions].map(([version, instances]) => ({ version, instances })),
        answeringVersions,
        skew: answeringVersions.length > 1,
      };
    });
  }
}
