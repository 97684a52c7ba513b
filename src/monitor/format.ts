/** Formatting shared by the widgets. Everything returns plain text (rendered as text, never HTML). */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
}

export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const abs = Math.abs(n);
  if (abs < 10_000) return String(Math.round(n * 10) / 10);
  const [d, s] = abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  const v = n / d;
  return `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)}${s}`;
}

/** A rate per second, e.g. `1.2k/s`. */
export function formatRate(n: number | undefined, bytes = false): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return `${bytes ? formatBytes(n) : formatCount(n)}/s`;
}

/** Parses Go durations as the server prints them (`1h2m3.5s`, `150ms`, `1.5µs`) to milliseconds. */
export function parseGoDuration(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001, d: 86_400_000, y: 31_536_000_000 };
  let total = 0;
  let matched = false;
  for (const [, num, unit] of s.matchAll(/([\d.]+)(ms|us|µs|ns|h|m|s|d|y)/g)) {
    total += parseFloat(num!) * (units[unit!] ?? 0);
    matched = true;
  }
  return matched ? total : undefined;
}

export function formatPercent(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(n < 10 ? 1 : 0)}%`;
}

/** `2026-11-29T10:00:00Z` → local time of day (or date and time if not today). */
export function formatTime(iso: string | number | undefined): string {
  if (iso === undefined) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}
