/**
 * A stand-in {@link KvSource} for tests and stories, on the fake client's request responders
 * (test/support/fake-client.ts): the buckets are the body answered on `….KV` (a
 * {@link FakeKvState}: each bucket with every kept revision), asked on every call and every
 * `every` ms by a watch, which reports each new revision once, in order (as the server pushes
 * them). A put or a delete asks `….KV_PUT` / `….KV_DELETE` with `{bucket, key, value}`; a
 * {@link FakeKvStore} answers them (and `….KV`) from one mutable state. A rejected request rejects
 * the call; a watch's later failures and malformed bodies are problems.
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';
import { pollFake } from '../../test/support/fake-poll.js';
import {
  filterProblem,
  keyMatches,
  keyProblem,
  kvError,
  type KvBucketInfo,
  type KvEntryInfo,
  type KvOperation,
  type KvSource,
  type KvSourceFactory,
} from './kv-source.js';

export const FAKE_KV_SUBJECT = 'fake.kv.KV';
export const FAKE_KV_PUT_SUBJECT = 'fake.kv.KV_PUT';
export const FAKE_KV_DELETE_SUBJECT = 'fake.kv.KV_DELETE';

/** One stored revision. `value` is text (UTF-8) or, with `base64: true`, the bytes in base64. */
export interface FakeKvEntry {
  key: string;
  revision: number;
  /** ms since the epoch. */
  created: number;
  operation?: KvOperation;
  value?: string;
  base64?: boolean;
}

export interface FakeKvBucket {
  bucket: string;
  history?: number;
  ttl?: number;
  storage?: 'file' | 'memory';
  replicas?: number;
  description?: string;
  /** Every kept revision, any order. */
  entries: FakeKvEntry[];
}

export interface FakeKvState {
  buckets: FakeKvBucket[];
}

const encoder = new TextEncoder();

function bytesOf(e: FakeKvEntry): Uint8Array {
  if ((e.operation ?? 'PUT') !== 'PUT' || e.value === undefined) return new Uint8Array(0);
  if (!e.base64) return encoder.encode(e.value);
  const bin = atob(e.value);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function toEntry(e: FakeKvEntry, withValue: boolean): KvEntryInfo {
  const value = bytesOf(e);
  return { key: e.key, revision: e.revision, created: e.created, operation: e.operation ?? 'PUT', length: value.length, ...(withValue ? { value } : {}) };
}

/** The latest revision of each key of `b`. */
function latest(b: FakeKvBucket): Map<string, FakeKvEntry> {
  const m = new Map<string, FakeKvEntry>();
  for (const e of [...b.entries].sort((x, y) => x.revision - y.revision)) m.set(e.key, e);
  return m;
}

function info(b: FakeKvBucket): KvBucketInfo {
  return {
    bucket: b.bucket,
    values: b.entries.length,
    bytes: b.entries.reduce((n, e) => n + e.key.length + bytesOf(e).length + 40, 0),
    history: b.history ?? 1,
    ttl: b.ttl ?? 0,
    storage: b.storage ?? 'file',
    replicas: b.replicas ?? 1,
    ...(b.description ? { description: b.description } : {}),
    lastRevision: b.entries.reduce((n, e) => Math.max(n, e.revision), 0),
  };
}

function read(msg: { json<T>(): T }): FakeKvState {
  let body: FakeKvState;
  try {
    body = msg.json<FakeKvState>();
  } catch (err) {
    throw new NunectError('NATS', `malformed reply from ${FAKE_KV_SUBJECT}`, { cause: err });
  }
  if (!body || !Array.isArray(body.buckets)) throw new NunectError('NATS', `malformed reply from ${FAKE_KV_SUBJECT}`);
  return body;
}

export function fakeKvSource(every = 20): KvSourceFactory {
  return (client: NunectClient): KvSource => {
    const state = async () => read(await client.request(FAKE_KV_SUBJECT).catch((e: unknown) => Promise.reject(toNunectError(e))));
    const bucketOf = async (name: string, what: string) => {
      let s;
      try {
        s = await state();
      } catch (err) {
        throw kvError(err, what, name);
      }
      const b = s.buckets.find((x) => x.bucket === name);
      if (!b) throw kvError(new NunectError('NATS', 'stream not found'), what, name);
      return b;
    };
    const write = async (subject: string, body: unknown, what: string, bucket: string) => {
      try {
        return (await client.request(subject, JSON.stringify(body))).json<{ revision?: number }>();
      } catch (err) {
        throw kvError(err, what, bucket);
      }
    };
    return {
      async buckets() {
        try {
          return (await state()).buckets.map(info).sort((a, b) => a.bucket.localeCompare(b.bucket));
        } catch (err) {
          throw kvError(err, 'list the key-value buckets');
        }
      },
      async bucket(name) {
        return info(await bucketOf(name, `read bucket ${name}`));
      },
      async keys(bucket, filter = '>') {
        const problem = filterProblem(filter);
        if (problem) throw new NunectError('INVALID_SUBJECT', problem);
        const b = await bucketOf(bucket, `list the keys of ${bucket}`);
        return [...latest(b).values()]
          .filter((e) => (e.operation ?? 'PUT') === 'PUT' && keyMatches(filter, e.key))
          .map((e) => e.key)
          .sort();
      },
      async get(bucket, key) {
        const e = latest(await bucketOf(bucket, `read ${key} in ${bucket}`)).get(key);
        return e ? toEntry(e, true) : undefined;
      },
      async history(bucket, key) {
        const b = await bucketOf(bucket, `read the history of ${key} in ${bucket}`);
        return b.entries
          .filter((e) => e.key === key)
          .sort((x, y) => x.revision - y.revision)
          .map((e) => toEntry(e, true));
      },
      async watch(bucket, filter, h) {
        const problem = filterProblem(filter);
        if (problem) throw new NunectError('INVALID_SUBJECT', problem);
        const first = await bucketOf(bucket, `watch ${bucket}`);
        let seen = 0;
        const initial = [...latest(first).values()].filter((e) => keyMatches(filter, e.key)).sort((a, b) => a.revision - b.revision);
        for (const e of first.entries) seen = Math.max(seen, e.revision);
        for (const e of initial) h.entry(toEntry(e, false));
        h.initialized();
        return pollFake(
          every,
          () => bucketOf(bucket, `watch ${bucket}`),
          (b) => {
            const fresh = b.entries.filter((e) => e.revision > seen).sort((x, y) => x.revision - y.revision);
            for (const e of fresh) {
              seen = e.revision;
              if (keyMatches(filter, e.key)) h.entry(toEntry(e, false));
            }
          },
          (e) => h.problem(e),
        );
      },
      async put(bucket, key, value) {
        const problem = keyProblem(key);
        if (problem) throw new NunectError('INVALID_SUBJECT', problem);
        const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
        const reply = await write(FAKE_KV_PUT_SUBJECT, { bucket, key, value: text }, `put ${key} in ${bucket}`, bucket);
        return reply.revision ?? 0;
      },
      async delete(bucket, key) {
        const problem = keyProblem(key);
        if (problem) throw new NunectError('INVALID_SUBJECT', problem);
        await write(FAKE_KV_DELETE_SUBJECT, { bucket, key }, `delete ${key} in ${bucket}`, bucket);
      },
    };
  };
}

/** What a responder host must offer (the fake client's `respond`). */
interface Responds {
  respond(suffix: string, responder: (subject: string, body: unknown) => unknown[] | Promise<unknown[]>): void;
}

/**
 * A mutable set of buckets answering the fake source's requests: `install(fake)` makes `fake`
 * answer `….KV` with the current state and apply puts and deletes (a new revision each, at
 * `now()`). `refuse` makes writes fail as the server refuses them without the right.
 */
export class FakeKvStore {
  state: FakeKvState;
  /** Writes are refused with a permissions violation (as the server does without the right). */
  refuse = false;
  readonly #now: () => number;

  constructor(state: FakeKvState, now: () => number = () => Date.now()) {
    this.state = structuredClone(state);
    this.#now = now;
  }

  install(fake: Responds): this {
    fake.respond('KV', () => [structuredClone(this.state)]);
    fake.respond('KV_PUT', (_s, body) => {
      const b = body as { bucket: string; key: string; value: string };
      return [{ revision: this.#write(b.bucket, b.key, 'PUT', b.value) }];
    });
    fake.respond('KV_DELETE', (_s, body) => {
      const b = body as { bucket: string; key: string };
      return [{ revision: this.#write(b.bucket, b.key, 'DEL') }];
    });
    return this;
  }

  /** Writes a revision directly (another client's change): its revision. */
  put(bucket: string, key: string, value: string): number {
    return this.#write(bucket, key, 'PUT', value, true);
  }

  delete(bucket: string, key: string, operation: 'DEL' | 'PURGE' = 'DEL'): number {
    return this.#write(bucket, key, operation, undefined, true);
  }

  #write(bucket: string, key: string, operation: KvOperation, value?: string, direct = false): number {
    if (this.refuse && !direct) throw new NunectError('PERMISSION_DENIED', `Permissions Violation for Publish to "$KV.${bucket}.${key}"`);
    const b = this.state.buckets.find((x) => x.bucket === bucket);
    if (!b) throw new NunectError('NATS', 'stream not found');
    const revision = b.entries.reduce((n, e) => Math.max(n, e.revision), 0) + 1;
    if (operation === 'PURGE') b.entries = b.entries.filter((e) => e.key !== key);
    b.entries.push({ key, revision, created: this.#now(), operation, ...(value !== undefined ? { value } : {}) });
    const keep = b.history ?? 1;
    const mine = b.entries.filter((e) => e.key === key).sort((x, y) => x.revision - y.revision);
    if (mine.length > keep) {
      const drop = new Set(mine.slice(0, mine.length - keep));
      b.entries = b.entries.filter((e) => !drop.has(e));
    }
    return revision;
  }
}
