/**
 * Where `<nunect-kv>` reads and writes JetStream key-value buckets, Lit-free: the logged-in
 * account's buckets (`Kvm.list()`), a bucket's status, its keys, a key's value and history, a live
 * watch of the bucket (or of a key filter), put and delete. The widget takes a
 * {@link KvSourceFactory}; the default, {@link natsKvSource}, talks through `@nats-io/kv` (loaded on
 * demand) on the nunect client's connection. Tests and stories pass a fake (kv-source.fake.ts).
 *
 * Reading needs `$JS.API.INFO`, `$JS.API.STREAM.LIST`, `$JS.API.STREAM.INFO.*`,
 * `$JS.API.STREAM.MSG.GET.*` (or `$JS.API.DIRECT.GET.>`), `$JS.API.CONSUMER.CREATE.>` (keys, history
 * and the watch are ordered push consumers), `$JS.FC.>` (their flow control) and the user's inbox
 * (where those consumers deliver). Writing needs `$KV.<bucket>.<key>` ({@link kvSubject}).
 */
import { NunectError, type NunectClient } from '../../client/index.js';
import { toNunectError } from '../../client/errors.js';

/** What a bucket is, from its status (the stream `KV_<bucket>`). */
export interface KvBucketInfo {
  bucket: string;
  /** Stored entries (every revision kept, deletes included). */
  values: number;
  /** Stored bytes. */
  bytes: number;
  /** Revisions kept per key. */
  history: number;
  /** How long a value lives (ms; 0: for ever). */
  ttl: number;
  storage: 'file' | 'memory';
  replicas: number;
  description?: string;
  /** The last revision written to the bucket (its stream's last sequence). */
  lastRevision: number;
}

export type KvOperation = 'PUT' | 'DEL' | 'PURGE';

/** One revision of a key. */
export interface KvEntryInfo {
  key: string;
  revision: number;
  /** When it was written (ms since the epoch). */
  created: number;
  operation: KvOperation;
  /** The value's size in bytes. */
  length: number;
  /** The value (absent in a watch, which reads headers only). */
  value?: Uint8Array;
}

/** What a watch reports. */
export interface KvWatchHandlers {
  /** A key's latest revision: first every key of the filter once, then every change as it happens. */
  entry(entry: KvEntryInfo): void;
  /** Every key that existed when the watch began has been reported (later entries are changes). */
  initialized(): void;
  /**
   * The watch failed after it began (the data so far stays valid): `ended` says it will report
   * nothing more (open it again); `undefined` once entries arrive again.
   */
  problem(error: NunectError | undefined, ended?: boolean): void;
}

export interface KvWatch {
  stop(): void;
}

export interface KvSource {
  /** The account's buckets, by name. */
  buckets(): Promise<KvBucketInfo[]>;
  /** One bucket's status; rejects with "No such bucket" when it does not exist. */
  bucket(name: string): Promise<KvBucketInfo>;
  /** The keys (not deleted) matching `filter` (`>`: all), sorted. */
  keys(bucket: string, filter?: string): Promise<string[]>;
  /** A key's latest revision (a delete or purge is an entry too); undefined when the key never existed. */
  get(bucket: string, key: string): Promise<KvEntryInfo | undefined>;
  /** Every kept revision of a key, oldest first. */
  history(bucket: string, key: string): Promise<KvEntryInfo[]>;
  /** Watches the keys matching `filter`; rejects (a NunectError saying why) when it cannot. */
  watch(bucket: string, filter: string, handlers: KvWatchHandlers): Promise<KvWatch>;
  /** Puts a value; resolves with its revision. */
  put(bucket: string, key: string, value: Uint8Array | string): Promise<number>;
  /** Deletes a key (a delete marker: its history stays until it ages out). */
  delete(bucket: string, key: string): Promise<void>;
}

export type KvSourceFactory = (client: NunectClient) => KvSource;

/** The subject a put or delete of `key` is published to: the right it needs. */
export function kvSubject(bucket: string, key: string): string {
  return `$KV.${bucket}.${key}`;
}

const KEY_TOKEN = /^[-/=\w]+$/;

/** Why `key` is not a valid key (undefined: it is). Keys are tokens of `A-Z a-z 0-9 - _ / =` joined by dots. */
export function keyProblem(key: string): string | undefined {
  if (!key) return 'A key is needed.';
  const bad = key.split('.').find((t) => !KEY_TOKEN.test(t));
  if (bad !== undefined)
    return bad === '' ? `“${key}” has an empty part (two dots, or a dot at an end).` : `“${key}” may hold only letters, digits, - _ / = and dots.`;
  return undefined;
}

/** Why `filter` is not a valid key filter (undefined: it is): a key whose parts may be `*`, and whose last may be `>`. */
export function filterProblem(filter: string): string | undefined {
  if (!filter) return 'A filter is needed (> for every key).';
  const tokens = filter.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '*') continue;
    if (t === '>') {
      if (i === tokens.length - 1) continue;
      return `“${filter}”: > may only be the last part.`;
    }
    if (!KEY_TOKEN.test(t)) {
      return t === ''
        ? `“${filter}” has an empty part (two dots, or a dot at an end).`
        : `“${filter}”: a part is a name (letters, digits, - _ / =), * or a final >.`;
    }
  }
  return undefined;
}

/** Whether `key` matches `filter` (NATS subject wildcards: `*` one part, `>` the rest). */
export function keyMatches(filter: string, key: string): boolean {
  if (filter === '>') return true;
  const f = filter.split('.');
  const k = key.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return k.length > i;
    if (i >= k.length || (f[i] !== '*' && f[i] !== k[i])) return false;
  }
  return f.length === k.length;
}

const explained = new WeakSet<NunectError>();

/**
 * A failure in words a user can act on: no JetStream for the account, no such bucket, a refused
 * permission ("not allowed"), no answer. `what` names what was being done, e.g. `put config.a in
 * CFG`.
 */
export function kvError(err: unknown, what: string, bucket?: string): NunectError {
  if (explained.has(err as NunectError)) return err as NunectError;
  const e = explain(err, what, bucket);
  explained.add(e);
  return e;
}

function explain(err: unknown, what: string, bucket?: string): NunectError {
  const e = toNunectError(err);
  const msg = e.message;
  const name = (err as { name?: string } | undefined)?.name ?? '';
  if (e.code === 'PERMISSION_DENIED' || /permissions? violation/i.test(msg))
    return new NunectError('PERMISSION_DENIED', `Not allowed: this user may not ${what} (the server said: ${msg})`, { cause: err });
  if (/JetStreamNotEnabled/.test(name) || /jetstream not enabled/i.test(msg) || e.code === 'NO_RESPONDERS')
    return new NunectError(e.code === 'NATS' ? 'NO_RESPONDERS' : e.code, `No JetStream for this user's account: cannot ${what} (${msg})`, { cause: err });
  if (/StreamNotFound/.test(name) || /stream not found|10059/i.test(msg))
    return new NunectError('NATS', `No such bucket${bucket ? `: ${bucket}` : ''} (cannot ${what})`, { cause: err });
  if (e.code === 'TIMEOUT')
    return new NunectError('TIMEOUT', `No answer from JetStream: cannot ${what} (timed out; the account may have no JetStream, or the server is busy)`, {
      cause: err,
    });
  if (e.code === 'CLOSED' || e.code === 'CONNECTION_FAILED') return new NunectError(e.code, `Not connected: cannot ${what} (${msg})`, { cause: err });
  return new NunectError(e.code, `Cannot ${what}: ${msg}`, { cause: err });
}

interface StatusLike {
  bucket: string;
  values: number;
  size: number;
  history: number;
  ttl: number;
  storage: string;
  replicas: number;
  description: string;
  streamInfo: { state: { last_seq: number } };
}

function bucketInfo(s: StatusLike): KvBucketInfo {
  return {
    bucket: s.bucket,
    values: s.values,
    bytes: s.size,
    history: s.history,
    ttl: s.ttl,
    storage: s.storage === 'memory' ? 'memory' : 'file',
    replicas: s.replicas,
    ...(s.description ? { description: s.description } : {}),
    lastRevision: s.streamInfo.state.last_seq,
  };
}

interface EntryLike {
  key: string;
  revision: number;
  created: Date;
  operation: KvOperation;
  length: number;
  value: Uint8Array;
}

function entryInfo(e: EntryLike, withValue: boolean): KvEntryInfo {
  return {
    key: e.key,
    revision: e.revision,
    created: e.created.getTime(),
    operation: e.operation,
    length: e.operation === 'PUT' ? e.length : 0,
    ...(withValue ? { value: e.value } : {}),
  };
}

type Kv = Awaited<ReturnType<import('@nats-io/kv').Kvm['open']>>;

/** The buckets through `@nats-io/kv` on the client's connection. */
export function natsKvSource(client: NunectClient): KvSource {
  const nc = client.nc;
  let kvm: Promise<import('@nats-io/kv').Kvm> | undefined;
  const manager = () => {
    // Loaded on demand: pages without the KV widget never download the KV library.
    kvm ??= import('@nats-io/kv').then(({ Kvm }) => new Kvm(nc));
    kvm.catch(() => (kvm = undefined));
    return kvm;
  };
  const opened = new Map<string, Promise<Kv>>();
  const open = (bucket: string): Promise<Kv> => {
    let kv = opened.get(bucket);
    if (!kv) {
      kv = manager().then((m) => m.open(bucket));
      opened.set(bucket, kv);
      kv.catch(() => opened.delete(bucket));
    }
    return kv;
  };
  const collect = async <T>(iter: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const x of iter) out.push(x);
    return out;
  };

  return {
    async buckets() {
      try {
        const list = await collect((await manager()).list());
        return list.map((s) => bucketInfo(s as unknown as StatusLike)).sort((a, b) => a.bucket.localeCompare(b.bucket));
      } catch (err) {
        throw kvError(err, 'list the key-value buckets');
      }
    },

    async bucket(name) {
      try {
        return bucketInfo((await (await open(name)).status()) as unknown as StatusLike);
      } catch (err) {
        throw kvError(err, `read bucket ${name}`, name);
      }
    },

    async keys(bucket, filter = '>') {
      const problem = filterProblem(filter);
      if (problem) throw new NunectError('INVALID_SUBJECT', problem);
      try {
        const keys = await collect(await (await open(bucket)).keys(filter));
        return keys.sort();
      } catch (err) {
        throw kvError(err, `list the keys of ${bucket}`, bucket);
      }
    },

    async get(bucket, key) {
      try {
        const e = await (await open(bucket)).get(key);
        return e ? entryInfo(e, true) : undefined;
      } catch (err) {
        throw kvError(err, `read ${key} in ${bucket}`, bucket);
      }
    },

    async history(bucket, key) {
      try {
        const entries = await collect(await (await open(bucket)).history({ key }));
        return entries.map((e) => entryInfo(e, true)).sort((a, b) => a.revision - b.revision);
      } catch (err) {
        throw kvError(err, `read the history of ${key} in ${bucket}`, bucket);
      }
    },

    async watch(bucket, filter, h) {
      const problem = filterProblem(filter);
      if (problem) throw new NunectError('INVALID_SUBJECT', problem);
      let iter;
      try {
        // Headers only: every key's latest revision, size and operation, then each change.
        iter = await (await open(bucket)).watch({ key: filter, headers_only: true });
      } catch (err) {
        throw kvError(err, `watch ${bucket}`, bucket);
      }
      let stopped = false;
      let initialized = false;
      const ready = () => {
        if (initialized) return;
        initialized = true;
        h.initialized();
      };
      // The library marks the last of the initial entries (and every later one) `isUpdate`; when
      // nothing matched there is no entry at all: its consumer said so (`num_pending` 0).
      const consumer = (iter as unknown as { _data?: { info(cached: boolean): Promise<{ num_pending: number }> } })._data;
      void consumer
        ?.info(true)
        .then((info) => info.num_pending === 0 && ready())
        .catch(() => {});
      if (!consumer) ready();
      void (async () => {
        try {
          for await (const e of iter) {
            h.entry(entryInfo(e, false));
            if (e.isUpdate) ready();
          }
          if (!stopped) h.problem(new NunectError('NATS', `The watch of ${bucket} ended (it is opened again)`), true);
        } catch (err) {
          if (!stopped) h.problem(kvError(err, `watch ${bucket}`, bucket), true);
        }
      })();
      return {
        stop: () => {
          stopped = true;
          iter.stop();
        },
      };
    },

    async put(bucket, key, value) {
      const problem = keyProblem(key);
      if (problem) throw new NunectError('INVALID_SUBJECT', problem);
      try {
        return await (await open(bucket)).put(key, value);
      } catch (err) {
        throw kvError(err, `put ${key} in ${bucket}`, bucket);
      }
    },

    async delete(bucket, key) {
      const problem = keyProblem(key);
      if (problem) throw new NunectError('INVALID_SUBJECT', problem);
      try {
        await (await open(bucket)).delete(key);
      } catch (err) {
        throw kvError(err, `delete ${key} in ${bucket}`, bucket);
      }
    },
  };
}
