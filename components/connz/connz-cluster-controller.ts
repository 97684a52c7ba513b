import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Connz, MonitorReply, ServerRef } from '../../client/monitor-types.js';
import type { HubController } from '../../src/controllers/hub-controller.js';
import { PollController } from '../../src/controllers/poll-controller.js';
import type { PollSnapshot, WatchOptions } from '../../src/monitor/poller.js';
import type { AbsentServer } from '../../src/monitor/roster.js';
import {
  chunkKey,
  chunkParams,
  clusterNeed,
  clusterParams,
  clusterView,
  DISCOVERY_INTERVAL,
  DISCOVERY_PARAMS,
  moreChunks,
  serverLists,
  type ChunkResult,
  type ClusterView,
  type ConnzQuery,
} from './connz-query.js';

export interface ClusterOptions {
  /** The query of the page (state, sort, offset, size, account, name filter). */
  query: () => ConnzQuery;
  /** Milliseconds between polls while the list shows every server. */
  interval: () => number;
  /**
   * `all`: the whole cluster is wanted (no server chosen), the survey carries the page;
   * `discover`: one server is shown, the survey only finds the servers (one connection each, slowly).
   */
  mode: () => 'all' | 'discover';
  /** New data (the host updates anyway; e.g. to track rates). */
  onData?: (snapshot: PollSnapshot<Connz>) => void;
}

/**
 * The whole cluster's connections for `<nunect-connz>`: a survey (`$SYS.REQ.SERVER.PING.CONNZ`,
 * every server answers with its first `offset + size` in the sort order, see `clusterParams`),
 * then each server's further connections by id from zero-based offsets (`moreChunks`,
 * `chunkParams`) when a page lies beyond its first 1,024; `view()` merges them (`clusterView`).
 *
 * The same survey finds the servers: with no server chosen it asks with the page's parameters, so
 * the first poll with several replies already shows the whole list (every 30 s while only one
 * server answers); with one server chosen it asks for one connection each, every 30 s.
 */
export class ConnzClusterController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #hubs: HubController;
  readonly #options: ClusterOptions;
  readonly #survey: PollController<Connz>;
  /** Chunk results of the current survey's replies, by `chunkKey`. */
  #chunks = new Map<string, ChunkResult>();
  /** The survey reply each server's chunks were asked for (a new reply asks again). */
  #asked = new Map<string, MonitorReply<Connz>>();
  /** Bumped when the query or the connection changes: answers to older requests are dropped. */
  #generation = 0;
  #queryKey = '';
  /** Answering servers of the latest survey, by name. */
  #servers = new Map<string, ServerRef>();

  constructor(host: ReactiveControllerHost, hubs: HubController, options: ClusterOptions) {
    this.#host = host;
    this.#hubs = hubs;
    this.#options = options;
    this.#survey = new PollController<Connz>(
      host,
      hubs,
      () => this.#surveyOptions(),
      (s) => this.#onSurvey(s),
    );
    hubs.onChange(() => this.forget());
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#generation++;
  }

  /** The survey's snapshot (its error and loading state are the widget's in cluster mode). */
  get snapshot(): PollSnapshot<Connz> {
    return this.#survey.snapshot;
  }

  /** The servers that answered the latest survey (with data), by name. */
  get servers(): ReadonlyMap<string, ServerRef> {
    return this.#servers;
  }

  /** Servers of the cluster that did not answer the latest survey. */
  get absent(): readonly AbsentServer[] {
    return this.#survey.snapshot.absent ?? [];
  }

  /** Several servers answer, or one does and the roster knows of others (they are named absent). */
  #several(): boolean {
    return this.#servers.size > 1 || (this.#servers.size === 1 && this.#hubs.hub.monitor.roster.expected() > 1);
  }

  /** No server chosen, and the survey's replies carry the whole cluster's list: the widget shows it. */
  get listing(): boolean {
    return this.#carries && !!this.#survey.snapshot.replies && this.#several();
  }

  /** Whether the survey's replies can carry a page (it asked with the page's parameters). */
  get carriesPage(): boolean {
    return this.#carries;
  }

  #carries = true;

  forget(): void {
    this.#generation++;
    this.#chunks = new Map();
    this.#asked.clear();
    this.#servers.clear();
    this.#carries = true;
  }

  #surveyOptions(): WatchOptions {
    const q = this.#options.query();
    // No server chosen: the page's parameters, so the first survey with several replies is the list;
    // with one server (and no other known), the widget pages on it alone and this only looks for more.
    const page = this.#options.mode() === 'all' && (this.#servers.size === 0 || this.#several());
    this.#carries = page;
    const key = JSON.stringify(q);
    if (key !== this.#queryKey) {
      this.#queryKey = key;
      this.#generation++;
      this.#chunks = new Map();
      this.#asked.clear();
    }
    return page
      ? { kind: 'CONNZ', interval: this.#options.interval(), params: clusterParams(q) }
      : { kind: 'CONNZ', interval: Math.max(DISCOVERY_INTERVAL, this.#options.interval()), params: { ...DISCOVERY_PARAMS } };
  }

  #onSurvey(snapshot: PollSnapshot<Connz>): void {
    const replies = snapshot.replies;
    if (!replies) return;
    this.#servers = new Map(replies.filter((r) => r.server?.name && r.server.id && !r.error).map((r) => [r.server.name, r.server]));
    if (this.#carries) this.#fetchChunks(replies);
    this.#options.onData?.(snapshot);
  }

  /** Asks each server for the connections the page needs beyond the survey's, by id and offset. */
  #fetchChunks(replies: readonly MonitorReply<Connz>[]): void {
    const q = this.#options.query();
    const need = clusterNeed(q);
    const source = this.#hubs.hub.monitorSource;
    const generation = this.#generation;
    for (const r of replies) {
      if (this.#asked.get(r.server.id) === r) continue;
      this.#asked.set(r.server.id, r);
      const chunks = moreChunks([r], need);
      for (const key of [...this.#chunks.keys()]) if (key.startsWith(`${r.server.id}@`)) this.#chunks.delete(key);
      for (const chunk of chunks) {
        const key = chunkKey(chunk.serverId, chunk.offset);
        if (!source) {
          this.#chunks.set(key, { error: 'not connected' });
          continue;
        }
        source
          .fetch<Connz>('CONNZ', chunkParams(q, chunk), { serverId: chunk.serverId })
          .then(
            (got) => ({ reply: got.find((x) => x.server.id === chunk.serverId) ?? got[0] }),
            (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
          )
          .then((result: ChunkResult) => {
            if (generation !== this.#generation || this.#asked.get(r.server.id) !== r) return;
            const error = result.reply?.error?.description;
            this.#chunks = new Map(this.#chunks).set(key, error ? { error } : result);
            this.#host.requestUpdate();
          });
      }
    }
  }

  /** The page of the merged list (the same object while replies, chunks and query are the same). */
  view(): ClusterView | undefined {
    const replies = this.#survey.snapshot.replies;
    if (!replies || !this.#carries) return undefined;
    const q = this.#options.query();
    if (this.#last && this.#last.replies === replies && this.#last.chunks === this.#chunks && this.#last.key === this.#queryKey) return this.#last.view;
    const view = clusterView(serverLists(replies, this.#chunks, clusterNeed(q)), q);
    this.#last = { replies, chunks: this.#chunks, key: this.#queryKey, view };
    return view;
  }

  #last?: { replies: MonitorReply<Connz>[]; chunks: Map<string, ChunkResult>; key: string; view: ClusterView };

  /** The survey's replies that were errors (a server refused the query), by server name. */
  errors(): Array<{ name: string; message: string }> {
    return (this.#survey.snapshot.replies ?? []).filter((r) => r.error).map((r) => ({ name: r.server.name, message: r.error!.description }));
  }
}
