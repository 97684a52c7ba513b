import { html, nothing, type TemplateResult } from 'lit';
import type { MonitorReply } from '../../client/monitor-types.js';
import { formatNumber, formatTime } from '../monitor/format.js';
import type { AbsentServer } from '../monitor/roster.js';

/**
 * Servers of the cluster that did not answer a poll (`PollSnapshot.absent`, from the server
 * roster), shown by every widget that shows servers — never one card or row fewer in silence.
 * Styles: `absentStyles` of src/styles/absent.ts. Server names are Lit text bindings.
 *
 * - `absentCard()`: a marked card in place of a server's card (varz, jsz, subsz);
 * - `absentRow()`: a marked table row in place of a server's row (servers);
 * - `absentNotice()`: one line per absent server above a table that merges servers (routez,
 *   accounts, the subscription list);
 * - `serverSlots()`: answering and absent servers in one list by name, `absentOf()`: the absent
 *   servers of several polls at once.
 */

/** What the server is, in a word or two: `not answering`, `stopped`, `lame duck`. */
export function absentStatus(a: Pick<AbsentServer, 'presence'>): string {
  switch (a.presence) {
    case 'missing':
      return 'not answering';
    case 'shutdown':
      return 'stopped';
    case 'lame-duck':
      return 'lame duck';
  }
}

/**
 * Since when, and how it is known: `no reply since 10:42:07 AM · 2 surveys missed`, `stopped
 * cleanly at 10:42:07 AM`, `in lame-duck mode since 10:42:07 AM (its clients move to other
 * servers)`. `now` is the widget's clock (`this.now()`), for "today or another day".
 */
export function absentDetail(a: AbsentServer, now: number): string {
  switch (a.presence) {
    case 'missing':
      return `no reply since ${formatTime(a.lastSeen, now)} · ${formatNumber(a.missedSurveys)} ${a.missedSurveys === 1 ? 'survey' : 'surveys'} missed`;
    case 'shutdown':
      return `stopped cleanly at ${formatTime(a.since, now)}`;
    case 'lame-duck':
      return `in lame-duck mode since ${formatTime(a.since, now)} (its clients move to other servers)`;
  }
}

/** The absent servers of several polls (e.g. ROUTEZ, GATEWAYZ and LEAFZ), each once, by name. */
export function absentOf(...snapshots: ReadonlyArray<{ absent?: readonly AbsentServer[] }>): AbsentServer[] {
  const byName = new Map<string, AbsentServer>();
  for (const s of snapshots) for (const a of s.absent ?? []) if (!byName.has(a.name)) byName.set(a.name, a);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One server of a widget's list: the reply of a server that answered, or an absent server. */
export type ServerSlot<T> = { name: string; reply: MonitorReply<T>; absent?: undefined } | { name: string; reply?: undefined; absent: AbsentServer };

/** The servers that answered (with data) and the absent ones, in one list by name. */
export function serverSlots<T>(replies: readonly MonitorReply<T>[], absent: readonly AbsentServer[] = []): ServerSlot<T>[] {
  const slots: ServerSlot<T>[] = replies.filter((r) => r.data).map((reply) => ({ name: reply.server.name, reply }));
  const answered = new Set(slots.map((s) => s.name));
  for (const a of absent) if (!answered.has(a.name)) slots.push({ name: a.name, absent: a });
  return slots.sort((a, b) => a.name.localeCompare(b.name));
}

export interface AbsentCardOptions {
  /** The card's accessible name (default `Server <name>: <status>`). */
  label?: string;
  /** What the card leaves out, e.g. "not in the totals". */
  note?: string;
}

/** A marked card in place of a server's card: name, status, since when; `part="server absent"`. */
export function absentCard(a: AbsentServer, now: number, options: AbsentCardOptions = {}): TemplateResult {
  const status = absentStatus(a);
  return html`<section class="server absent ${a.presence}" part="server absent" aria-label=${options.label ?? `Server ${a.name}: ${status}`}>
    <header>
      <strong>${a.name}</strong>
      <span class="presence">${status}</span>
      ${a.version ? html`<span class="muted">nats-server ${a.version}</span>` : nothing}
    </header>
    <p class="absent-detail">${absentDetail(a, now)}${options.note ? ` · ${options.note}` : ''}</p>
  </section>`;
}

/**
 * A table row in place of a server's row: the name as the row header (`sticky` when the table's
 * first column is), then one cell across the other `columns` with the status and since when.
 */
export function absentRow(a: AbsentServer, now: number, columns: number, sticky = false): TemplateResult {
  return html`<tr class="absent ${a.presence}">
    <th scope="row" class=${sticky ? 'sticky' : nothing}>${a.name}</th>
    <td colspan=${Math.max(1, columns - 1)}><span class="presence">${absentStatus(a)}</span> · ${absentDetail(a, now)}</td>
  </tr>`;
}

/**
 * The absent servers, one line each, after `lead` (e.g. "Not in these tables:"); nothing when every
 * server answered. `part="absent"`.
 */
export function absentNotice(absent: readonly AbsentServer[], now: number, lead: string): TemplateResult | typeof nothing {
  if (!absent.length) return nothing;
  return html`<div class="absent-notice" part="absent">
    <span>${lead}</span>
    <ul>
      ${absent.map(
        (a) => html`<li class=${a.presence}><strong>${a.name}</strong> · <span class="presence">${absentStatus(a)}</span> · ${absentDetail(a, now)}</li>`,
      )}
    </ul>
  </div>`;
}
