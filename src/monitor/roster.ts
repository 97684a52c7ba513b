/**
 * Every server of the cluster the page has heard of, and whether it is answering: the memory that
 * lets a survey wait for all known servers (never "the first N") and lets the widgets name a
 * server that stopped answering instead of silently showing one card fewer. Lit-free.
 *
 * Servers are known by name (unique in a cluster; a restarted server comes back with a new id).
 * Sources: survey replies (also late ones), `$SYS.SERVER.<id>.STATSZ` (every 10 s from 2.11, 30 s
 * before), `…SHUTDOWN` (a clean stop, at once) and `…LAMEDUCK` (2.10+).
 */
import type { Clock } from '../../client/index.js';
import type { ServerRef } from '../../client/monitor-types.js';

/** Where a known server is: answering, not answering (missing), stopped cleanly, or in lame-duck mode. */
export type ServerPresence = 'answering' | 'missing' | 'shutdown' | 'lame-duck';

export interface RosterServer {
  name: string;
  id: string;
  version?: string;
  cluster?: string;
  presence: ServerPresence;
  /** When it was first heard of, and last heard from (ms since the epoch). */
  firstSeen: number;
  lastSeen: number;
  /** Surveys in a row it did not answer. */
  missedSurveys: number;
  /** When the presence last changed. */
  since: number;
}

/** A known server that is not in a poll's replies, with why. */
export interface AbsentServer {
  name: string;
  id: string;
  version?: string;
  presence: Exclude<ServerPresence, 'answering'>;
  lastSeen: number;
  missedSurveys: number;
  since: number;
}

export class ServerRoster {
  #servers = new Map<string, RosterServer>();
  #activeServers = 0;
  #clock: Clock;
  #listeners = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Every known server, by name. */
  get servers(): RosterServer[] {
    return [...this.#servers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The cluster size the servers report (`statsz.active_servers`; stale for minutes after a crash). */
  get activeServers(): number {
    return this.#activeServers;
  }

  /**
   * How many replies a survey waits for before it stops early: every known server that did not
   * stop, or the size the servers report, whichever is larger (0: unknown, wait for quiet).
   */
  expected(): number {
    let live = 0;
    let stopped = 0;
    for (const s of this.#servers.values()) {
      if (s.presence === 'shutdown') stopped++;
      else live++;
    }
    // The reported size still counts a server that stopped cleanly until the others notice (a
    // STATSZ minutes old): never wait for, or announce, a server that said goodbye.
    return Math.max(live, this.#activeServers - stopped);
  }

  /** Calls `listener` when a presence changes outside a survey (events, late replies). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A survey ended: these answered; every other known, running server missed it. */
  surveyed(answered: readonly ServerRef[]): void {
    const names = new Set<string>();
    for (const ref of answered) {
      names.add(ref.name);
      this.#seen(ref);
    }
    const now = this.#clock.now();
    for (const s of this.#servers.values()) {
      if (names.has(s.name) || s.presence === 'shutdown') continue;
      s.missedSurveys++;
      if (s.presence !== 'missing') {
        s.presence = 'missing';
        s.since = now;
      }
    }
  }

  /** A server was heard from outside a survey (a late reply, a STATSZ event). Returns true if that changed something. */
  heard(ref: ServerRef, activeServers?: number): boolean {
    const before = this.#servers.get(ref.name);
    const changed = !before || before.presence !== 'answering' || before.id !== ref.id;
    this.#seen(ref);
    if (activeServers !== undefined && activeServers > 0 && activeServers !== this.#activeServers) this.#activeServers = activeServers;
    if (changed) this.#changed();
    return changed;
  }

  /** The size the servers report, from a PING (STATSZ) reply. */
  reportedSize(activeServers: number | undefined): void {
    if (activeServers !== undefined && activeServers > 0) this.#activeServers = activeServers;
  }

  /** A clean stop (`$SYS.SERVER.<id>.SHUTDOWN`) or lame-duck mode (`…LAMEDUCK`), shown at once. */
  stopping(ref: Pick<ServerRef, 'name' | 'id'> & Partial<ServerRef>, presence: 'shutdown' | 'lame-duck'): void {
    const s = this.#servers.get(ref.name);
    const now = this.#clock.now();
    if (!s) {
      this.#add(ref, presence);
    } else if (s.id === ref.id || s.presence !== 'answering') {
      s.presence = presence;
      s.since = now;
    } else {
      return; // an old instance's goodbye after the server came back under a new id
    }
    this.#changed();
  }

  /** Known servers that are not among `replies` (for a widget to show as missing or stopped). */
  absent(replies: readonly { server: ServerRef }[]): AbsentServer[] {
    const names = new Set(replies.map((r) => r.server.name));
    const out: AbsentServer[] = [];
    for (const s of this.servers) {
      if (names.has(s.name) || s.presence === 'answering') continue;
      out.push({ name: s.name, id: s.id, version: s.version, presence: s.presence, lastSeen: s.lastSeen, missedSurveys: s.missedSurveys, since: s.since });
    }
    return out;
  }

  /** Forgets everything (another connection). */
  clear(): void {
    this.#servers.clear();
    this.#activeServers = 0;
  }

  #seen(ref: ServerRef): void {
    const now = this.#clock.now();
    const s = this.#servers.get(ref.name);
    if (!s) {
      this.#add(ref, 'answering');
      return;
    }
    if (s.presence !== 'answering') s.since = now;
    Object.assign(s, { id: ref.id, version: ref.ver ?? s.version, cluster: ref.cluster ?? s.cluster, presence: 'answering', lastSeen: now, missedSurveys: 0 });
  }

  #add(ref: Pick<ServerRef, 'name' | 'id'> & Partial<ServerRef>, presence: ServerPresence): void {
    const now = this.#clock.now();
    const entry = { name: ref.name, id: ref.id, version: ref.ver, cluster: ref.cluster, presence, firstSeen: now, lastSeen: now, missedSurveys: 0, since: now };
    this.#servers.set(ref.name, entry);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
