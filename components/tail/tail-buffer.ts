/**
 * The message buffer of `<nunect-tail>`, Lit-free: a bounded ring of the newest `capacity`
 * messages with exact counts (received, evicted), a pause that freezes what is shown while
 * messages keep arriving and are counted ("2,314 new while paused"), the connection gaps the source
 * reported (with the messages the server dropped), filters within the buffer, and the JSON lines
 * export. Pure data: the element renders it; the real-server test drives it with the real source.
 */
import { subjectMatches } from '../../client/subjects.js';
import { RingBuffer } from '../event-log/ring-buffer.js';
import { decodePayload, headerEntries, previewPayload, sniffPayload, toBase64 } from '../../src/parts/payload.js';
import type { TailGap, TailMsg } from './tail-source.js';

/** A buffered message. */
export interface TailRow {
  /** 1 for the first message received, counting every message (also those evicted). */
  n: number;
  /** When it arrived (ms since the epoch). */
  time: number;
  msg: TailMsg;
  /** Lower-case text searched by the text filter (made on first use). */
  search?: string;
  /** The one-line preview (made on first use). */
  preview?: string;
}

export interface TailFilter {
  /** A subject pattern with wildcards (`orders.*.eu`, `>`); empty for all. */
  subject?: string;
  /** Text the subject, a header or the payload contains (any case); empty for all. */
  text?: string;
}

/** How much of a payload the text filter and the preview read. */
const SEARCH_BYTES = 4_096;
const PREVIEW_CHARS = 160;

const utf8 = new TextDecoder();

/** The payload's first line or so, as the list shows it (`previewPayload`, made once per row). */
export function previewOf(row: TailRow): string {
  return (row.preview ??= previewPayload(row.msg.data, PREVIEW_CHARS));
}

function searchOf(row: TailRow): string {
  if (row.search !== undefined) return row.search;
  const { msg } = row;
  const head = msg.data.subarray(0, Math.min(msg.data.length, SEARCH_BYTES));
  const headers = headerEntries(msg.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return (row.search = `${msg.subject}\n${msg.reply ?? ''}\n${headers}\n${utf8.decode(head)}`.toLowerCase());
}

/** Whether a row passes the filter. */
export function matches(row: TailRow, filter: TailFilter): boolean {
  const subject = filter.subject?.trim();
  if (subject && !subjectMatches(subject, row.msg.subject)) return false;
  const text = filter.text?.trim().toLowerCase();
  return !text || searchOf(row).includes(text);
}

/** A message as one JSON line of the export: payload as text when it is UTF-8, else base64. */
export function exportLine(row: TailRow): string {
  const { msg } = row;
  const kind = sniffPayload(msg.data);
  const headers: Record<string, string[]> = {};
  for (const [k, v] of headerEntries(msg.headers)) (headers[k] ??= []).push(v);
  const line: Record<string, unknown> = {
    n: row.n,
    time: new Date(row.time).toISOString(),
    subject: msg.subject,
    ...(msg.reply ? { reply: msg.reply } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    size: msg.data.length,
  };
  if (kind === 'binary') Object.assign(line, { encoding: 'base64', payload: toBase64(msg.data) });
  else line.payload = decodePayload(msg.data, 'text', Infinity).text;
  return JSON.stringify(line);
}

export class TailBuffer {
  #ring: RingBuffer<TailRow>;
  #received = 0;
  #evicted = 0;
  #frozen?: TailRow[];
  #receivedAtPause = 0;
  #gaps: TailGap[] = [];

  constructor(capacity = 10_000) {
    this.#ring = new RingBuffer<TailRow>(capacity);
  }

  /** Messages received since the tail opened (also those evicted). */
  get received(): number {
    return this.#received;
  }

  /** Messages evicted from the buffer (the oldest first). */
  get evicted(): number {
    return this.#evicted;
  }

  /** How many messages the buffer holds now. */
  get size(): number {
    return this.#ring.size;
  }

  get capacity(): number {
    return this.#ring.capacity;
  }

  /** Changes the capacity, keeping the newest messages (the others are counted as evicted). */
  set capacity(capacity: number) {
    this.#evicted += this.#ring.resize(capacity);
  }

  get paused(): boolean {
    return this.#frozen !== undefined;
  }

  /** Messages received since the pause (0 when not paused). */
  get newWhilePaused(): number {
    return this.#frozen ? this.#received - this.#receivedAtPause : 0;
  }

  /** The connection gaps while the tail was open, oldest first. */
  get gaps(): readonly TailGap[] {
    return this.#gaps;
  }

  /** Messages the server reported dropped, over every gap. */
  get dropped(): number {
    return this.#gaps.reduce((sum, g) => sum + (g.dropped ?? 0), 0);
  }

  /**
   * Takes a batch of messages that arrived at `time`. Only the last `capacity` of a batch are
   * kept (the others count as received and evicted at once); the batch array may be reused.
   */
  take(batch: ReadonlyArray<{ msg: TailMsg; time: number }>): void {
    const skip = Math.max(0, batch.length - this.#ring.capacity);
    this.#received += skip;
    this.#evicted += skip;
    for (let i = skip; i < batch.length; i++) {
      const { msg, time } = batch[i]!;
      if (this.#ring.push({ n: ++this.#received, time, msg })) this.#evicted++;
    }
  }

  gap(gap: TailGap): void {
    this.#gaps.push(gap);
  }

  /** Freezes what {@link TailBuffer.rows} gives; messages keep arriving and are counted. */
  pause(): void {
    if (this.#frozen) return;
    this.#frozen = this.#ring.toArray();
    this.#receivedAtPause = this.#received;
  }

  resume(): void {
    this.#frozen = undefined;
  }

  /** Forgets the messages, the counts and the gaps (a pause stays, now empty). */
  clear(): void {
    this.#ring.clear();
    this.#received = 0;
    this.#evicted = 0;
    this.#gaps = [];
    if (this.#frozen) this.#frozen = [];
    this.#receivedAtPause = 0;
  }

  /** The buffered messages, oldest first (a copy; while paused, what was there at the pause). */
  all(): TailRow[] {
    return this.#frozen ? [...this.#frozen] : this.#ring.toArray();
  }

  /**
   * The rows shown, newest first: those matching `filter`, and of them the window `[from, to)`;
   * `matching` counts all that match, `total` the rows looked at.
   */
  rows(filter: TailFilter = {}, from = 0, to = Infinity): { rows: TailRow[]; matching: number; total: number } {
    const frozen = this.#frozen;
    const size = frozen ? frozen.length : this.#ring.size;
    const at = frozen ? (i: number) => frozen[i]! : (i: number) => this.#ring.at(i)!;
    const all = !filter.subject?.trim() && !filter.text?.trim();
    if (all) {
      const rows: TailRow[] = [];
      for (let k = Math.max(0, from); k < Math.min(to, size); k++) rows.push(at(size - 1 - k));
      return { rows, matching: size, total: size };
    }
    const rows: TailRow[] = [];
    let matching = 0;
    for (let i = size - 1; i >= 0; i--) {
      const r = at(i);
      if (!matches(r, filter)) continue;
      if (matching >= from && matching < to) rows.push(r);
      matching++;
    }
    return { rows, matching, total: size };
  }

  /** Every buffered message (or those matching `filter`) as JSON lines, oldest first. */
  exportJSONLines(filter: TailFilter = {}): string {
    return this.all()
      .filter((r) => matches(r, filter))
      .map(exportLine)
      .join('\n');
  }
}
