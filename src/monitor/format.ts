/**
 * Numbers people read: every count, byte size, rate, percentage, duration and time a widget shows
 * goes through this module. Everything returns plain text (rendered as text, never HTML) and `–`
 * for a missing value (`undefined`, `null`, `NaN`, `±Infinity`, an unreadable duration or date).
 *
 * Digits, grouping and decimal separator come from `Intl` in the given `locale` (every function
 * takes it last; `undefined`, the default, is the runtime's locale). Unit symbols (`B`, `KiB`, `k`,
 * `ms`, `min`, …) are the same in every locale. The `Intl` formatters are created on first use and
 * cached per locale and style. Negative values keep their sign (the locale's minus sign); a value
 * that rounds to zero shows no sign.
 *
 * Rounding, one rule for every scaled value (bytes in their unit, counts in k/M/G…, percentages):
 * below 100 at most one fraction digit, from 100 on integers (`0.2`, `37.6`, `99.9`, `100`,
 * `1,023`). A unit is chosen after rounding, so a value never shows as `1,024 B` or `1,000k`.
 */

/** What a missing or unreadable value shows. */
export const MISSING = '–';

type Missing = undefined | null;

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter; an unknown locale falls back to the runtime's (formatting never throws). */
function cached<F>(cache: Map<string, F>, locale: string | undefined, key: string, make: (locale: string | undefined) => F): F {
  const id = `${locale ?? ''}\u0000${key}`;
  let f = cache.get(id);
  if (!f) {
    try {
      f = make(locale);
    } catch {
      f = make(undefined);
    }
    cache.set(id, f);
  }
  return f;
}

function numberFormat(locale: string | undefined, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(numberFormats, locale, key, (l) => new Intl.NumberFormat(l, { signDisplay: 'negative', ...options }));
}

function finite(n: number | Missing): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** `v` (≥ 0) rounded as the scaled rule shows it: one fraction digit below 100, integers above. */
function roundScaled(v: number): number {
  return v < 100 ? Math.round(v * 10) / 10 : Math.round(v);
}

/** A scaled value by the rule: at most one fraction digit below 100 (after rounding), integers above. */
function scaled(n: number, locale: string | undefined, style: 'decimal' | 'percent' = 'decimal'): string {
  const abs = Math.abs(n);
  const digits = roundScaled(abs) < 100 ? 1 : 0;
  return numberFormat(locale, `${style}:${digits}`, { style, maximumFractionDigits: digits }).format(style === 'percent' ? n / 100 : n);
}

/**
 * A number as it is, grouped, with at most `maxFractionDigits` fraction digits (rounded):
 * `1234` → `1,234`, `formatNumber(1.256, 2)` → `1.26`, `1e15` → `1,000,000,000,000,000`. For exact
 * figures such as "showing 50 of 1,234"; `formatCount` is the compact one for table cells.
 */
export function formatNumber(n: number | Missing, maxFractionDigits = 0, locale?: string): string {
  if (!finite(n)) return MISSING;
  const digits = Math.max(0, Math.min(20, Math.trunc(maxFractionDigits)));
  return numberFormat(locale, `number:${digits}`, { maximumFractionDigits: digits }).format(n);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/**
 * Bytes in binary units (B, KiB, MiB, GiB, TiB, PiB; 1 KiB = 1024 B), the number by the scaled
 * rule: `0` → `0 B`, `0.19952…` → `0.2 B`, `37.5699…` → `37.6 B`, `1023.9` → `1 KiB` (it would
 * round to 1,024 B), `1536` → `1.5 KiB`, `1e15` → `909 TiB`, `2**64 - 1` → `16,384 PiB`.
 */
export function formatBytes(n: number | Missing, locale?: string): string {
  if (!finite(n)) return MISSING;
  let v = Math.abs(n);
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && roundScaled(v) >= 1024) {
    v /= 1024;
    i++;
  }
  return `${scaled(n < 0 ? -v : v, locale)} ${BYTE_UNITS[i]}`;
}

const COUNT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
];

/**
 * A count, compact from 10,000 on with SI suffixes (k, M, G, T, P, E; the same in every locale),
 * the number by the scaled rule: `0.2` → `0.2`, `1234` → `1,234`, `9999` → `9,999`, `12345` →
 * `12.3k`, `123456` → `123k`, `4.5e6` → `4.5M`, `2**64 - 1` → `18.4E`.
 */
export function formatCount(n: number | Missing, locale?: string): string {
  if (!finite(n)) return MISSING;
  const abs = Math.abs(n);
  if (roundScaled(abs) < 10_000) return scaled(n, locale);
  let i = 0;
  // The next suffix once this one would show 1,000 or more (999,960 is 1M, not 1,000k).
  while (i < COUNT_UNITS.length - 1 && roundScaled(abs / COUNT_UNITS[i]![1]) >= 1000) i++;
  const [suffix, size] = COUNT_UNITS[i]!;
  return `${scaled(n / size, locale)}${suffix}`;
}

/**
 * A sequence number or revision: an identifier, so always exact, never compact (`500000` →
 * `500,000`; `formatCount` would say `500k` for every sequence from 499,500 to 500,499).
 */
export function formatSequence(n: number | Missing, locale?: string): string {
  return formatNumber(n, 0, locale);
}

/** A rate per second: `formatCount` or (with `bytes`) `formatBytes` and `/s`, e.g. `1.2k/s`, `37.6 B/s`. */
export function formatRate(n: number | Missing, bytes = false, locale?: string): string {
  if (!finite(n)) return MISSING;
  return `${bytes ? formatBytes(n, locale) : formatCount(n, locale)}/s`;
}

/**
 * A percentage given in percent (`12.5` is 12.5 %), in the locale's percent style, the number by
 * the scaled rule: `37.5699…` → `37.6%`, `0.2` → `0.2%`, `350` → `350%` (`de-DE`: `37,6 %`).
 */
export function formatPercent(n: number | Missing, locale?: string): string {
  if (!finite(n)) return MISSING;
  return scaled(n, locale, 'percent');
}

const NS = 1e-6;
const US = 1e-3;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

const GO_UNITS: Record<string, number> = { ns: NS, us: US, µs: US, μs: US, ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, y: YEAR };
const GO_PART = '(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h|d|y)';
const GO_DURATION = new RegExp(`^[+-]?(?:${GO_PART})+$`);

/**
 * Parses a Go duration as nats-server prints it to milliseconds: `1h2m3.5s`, `150ms`, `379µs`,
 * `1.5us`, `12ns`, `-1.5s`, `0`, and the server's uptime units `d` and `y` (365 days): `2d3h`,
 * `1y2d`. Anything else (`abc`, `''`, `5`, `1x`, `1h abc`) is `undefined`.
 */
export function parseGoDuration(s: string | Missing): number | undefined {
  if (typeof s !== 'string') return undefined;
  const text = s.trim();
  if (text === '0' || text === '+0' || text === '-0') return 0;
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, num, unit] of text.matchAll(new RegExp(GO_PART, 'g'))) total += parseFloat(num!) * GO_UNITS[unit!]!;
  return text.startsWith('-') ? -total : total;
}

const SUB_SECOND: ReadonlyArray<readonly [string, number]> = [
  ['ns', NS],
  ['µs', US],
  ['ms', 1],
];
const ABOVE_MINUTE: ReadonlyArray<readonly [string, number]> = [
  ['y', YEAR],
  ['d', DAY],
  ['h', HOUR],
  ['min', MINUTE],
  ['s', SECOND],
];

/**
 * A duration in milliseconds, readable: below a second three significant digits in ns, µs or ms
 * (`12 ns`, `1.5 µs`, `379 µs`, `4.01 ms`, `150 ms`); below a minute seconds with at most one
 * fraction digit (`0 s`, `1.3 s`, `59.9 s`); from a minute on the two largest units as integers,
 * the smaller one left out when it is zero (`2 min 5 s`, `5 min`, `1 h 2 min`, `2 d 3 h`, `1 y 2 d`;
 * a year is 365 days). Units are chosen after rounding (`999.96 ms` → `1 s`, `59.96 s` → `1 min`).
 */
export function formatDuration(ms: number | Missing, locale?: string): string {
  if (!finite(ms)) return MISSING;
  const abs = Math.abs(ms);
  const sign = ms < 0 ? -1 : 1;
  if (abs === 0) return `${scaled(0, locale)} s`;
  if (abs < SECOND) {
    const significant = numberFormat(locale, 'significant:3', { maximumSignificantDigits: 3 });
    let i = abs < US ? 0 : abs < 1 ? 1 : 2;
    while (i < SUB_SECOND.length && Number((abs / SUB_SECOND[i]![1]).toPrecision(3)) >= 1000) i++;
    if (i < SUB_SECOND.length) {
      const [unit, size] = SUB_SECOND[i]!;
      return `${significant.format((sign * abs) / size)} ${unit}`;
    }
  }
  const seconds = Math.round((abs / SECOND) * 10) / 10;
  if (seconds < 60) return `${scaled(sign * seconds, locale)} s`;
  const integer = numberFormat(locale, 'number:0', { maximumFractionDigits: 0 });
  let i = ABOVE_MINUTE.findIndex(([, size]) => abs >= size);
  if (i < 0 || i > 3) i = 3;
  let rounded = Math.round(abs / ABOVE_MINUTE[i + 1]![1]) * ABOVE_MINUTE[i + 1]![1];
  while (i > 0 && rounded >= ABOVE_MINUTE[i - 1]![1]) {
    i--;
    rounded = Math.round(abs / ABOVE_MINUTE[i + 1]![1]) * ABOVE_MINUTE[i + 1]![1];
  }
  const [big, bigSize] = ABOVE_MINUTE[i]!;
  const [small, smallSize] = ABOVE_MINUTE[i + 1]!;
  const whole = Math.floor(rounded / bigSize);
  const rest = Math.round((rounded - whole * bigSize) / smallSize);
  return `${integer.format(sign * whole)} ${big}${rest ? ` ${integer.format(rest)} ${small}` : ''}`;
}

/**
 * A round-trip time (or any duration) from the server's Go duration string (`4.014874ms` →
 * `4.01 ms`) or a number of milliseconds (`1.5` → `1.5 ms`), by `formatDuration`.
 */
export function formatRtt(rtt: string | number | Missing, locale?: string): string {
  return formatDuration(typeof rtt === 'string' ? parseGoDuration(rtt) : rtt, locale);
}

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * A point in time (ISO string such as `2026-11-29T10:00:00Z`, milliseconds since the epoch, or a
 * Date) in the local time zone: the time of day (`10:00:00 AM`) when it is on the same local day as
 * `now`, otherwise date and time (`Nov 28, 2026, 10:00:00 AM`). `now` is the current time in
 * milliseconds, passed in (this module never reads the clock) so the result is reproducible.
 */
export function formatTime(value: string | number | Date | Missing, now: number, locale?: string): string {
  if (value === undefined || value === null || value === '') return MISSING;
  const d = new Date(value);
  if (!finite(d.getTime())) return MISSING;
  const today = finite(now) && sameLocalDay(d, new Date(now));
  const f = today
    ? cached(dateFormats, locale, 'time', (l) => new Intl.DateTimeFormat(l, { timeStyle: 'medium' }))
    : cached(dateFormats, locale, 'date-time', (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'medium' }));
  return f.format(d);
}
