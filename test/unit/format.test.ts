import { expect } from '@open-wc/testing';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatNumber,
  formatPercent,
  formatRate,
  formatRtt,
  formatSequence,
  formatTime,
  MISSING,
  parseGoDuration,
} from '../../src/monitor/format.js';

// Every call passes a locale, so the results do not depend on the browser's.
const EN = 'en-US';
const DE = 'de-DE';
const U64 = 2 ** 64 - 1;
const NO_VALUE = [undefined, null, NaN, Infinity, -Infinity];

describe('format: bytes', () => {
  it('rounds below 100 to one fraction digit, integers from 100 on, binary units chosen after rounding', () => {
    const cases: Array<[number, string]> = [
      [0, '0 B'],
      [0.2, '0.2 B'],
      [0.19952114924181966, '0.2 B'],
      [0.04, '0 B'],
      [37.56994404476419, '37.6 B'],
      [99.96, '100 B'],
      [512, '512 B'],
      [1023, '1,023 B'],
      [1023.9, '1 KiB'],
      [1024, '1 KiB'],
      [1536, '1.5 KiB'],
      [5290, '5.2 KiB'],
      [102_400, '100 KiB'],
      [1024 ** 2 - 1, '1 MiB'],
      [256 * 1024 ** 2, '256 MiB'],
      [2 * 1024 ** 3, '2 GiB'],
      [1e15, '909 TiB'],
      [1024 ** 5, '1 PiB'],
      [U64, '16,384 PiB'],
    ];
    for (const [n, text] of cases) expect(formatBytes(n, EN), String(n)).to.equal(text);
  });

  it('keeps the sign of negative values, and shows none on a value that rounds to zero', () => {
    expect(formatBytes(-1536, EN)).to.equal('-1.5 KiB');
    expect(formatBytes(-37.56994404476419, EN)).to.equal('-37.6 B');
    expect(formatBytes(-0.01, EN)).to.equal('0 B');
    expect(formatBytes(-0, EN)).to.equal('0 B');
  });

  it('shows – for missing values', () => {
    for (const n of NO_VALUE) expect(formatBytes(n, EN), String(n)).to.equal(MISSING);
    expect(MISSING).to.equal('–');
  });

  it('follows the locale (de-DE: decimal comma, dot grouping)', () => {
    expect(formatBytes(37.56994404476419, DE)).to.equal('37,6 B');
    expect(formatBytes(1536, DE)).to.equal('1,5 KiB');
    expect(formatBytes(1023, DE)).to.equal('1.023 B');
    expect(formatBytes(U64, DE)).to.equal('16.384 PiB');
  });
});

describe('format: counts and rates', () => {
  it('groups below 10,000 and is compact with k, M, G, T, P, E from there, by the same rounding', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [0.2, '0.2'],
      [0.19952114924181966, '0.2'],
      [37.56994404476419, '37.6'],
      [1023.9, '1,024'],
      [1024, '1,024'],
      [1234, '1,234'],
      [9999, '9,999'],
      [9999.6, '10k'],
      [12_345, '12.3k'],
      [123_456, '123k'],
      [960_000, '960k'],
      [999_960, '1M'],
      [4.5e6, '4.5M'],
      [7.25e9, '7.3G'],
      [1e15, '1P'],
      [U64, '18.4E'],
    ];
    for (const [n, text] of cases) expect(formatCount(n, EN), String(n)).to.equal(text);
  });

  it('shows sequences and revisions exactly: an identifier is never compacted', () => {
    expect(formatSequence(500_000, EN)).to.equal('500,000');
    expect(formatSequence(500_001, EN)).to.not.equal(formatSequence(500_000, EN));
    expect(formatSequence(18_446_744_073_709, EN)).to.equal('18,446,744,073,709');
    expect(formatSequence(1234, DE)).to.equal('1.234');
    for (const n of NO_VALUE) expect(formatSequence(n, EN), String(n)).to.equal(MISSING);
  });

  it('keeps the sign, shows – for missing values and follows the locale', () => {
    expect(formatCount(-12_345, EN)).to.equal('-12.3k');
    expect(formatCount(-1234, EN)).to.equal('-1,234');
    for (const n of NO_VALUE) expect(formatCount(n, EN), String(n)).to.equal(MISSING);
    expect(formatCount(1234, DE)).to.equal('1.234');
    expect(formatCount(12_345, DE)).to.equal('12,3k');
    expect(formatCount(37.56994404476419, DE)).to.equal('37,6');
  });

  it('formats rates per second of counts and of bytes', () => {
    expect(formatRate(37.56994404476419, true, EN)).to.equal('37.6 B/s');
    expect(formatRate(0.19952114924181966, true, EN)).to.equal('0.2 B/s');
    expect(formatRate(2048, true, EN)).to.equal('2 KiB/s');
    expect(formatRate(0, true, EN)).to.equal('0 B/s');
    expect(formatRate(100, false, EN)).to.equal('100/s');
    expect(formatRate(0.19952114924181966, false, EN)).to.equal('0.2/s');
    expect(formatRate(12_345, false, EN)).to.equal('12.3k/s');
    expect(formatRate(-1536, true, EN)).to.equal('-1.5 KiB/s');
    expect(formatRate(1e15, true, EN)).to.equal('909 TiB/s');
    expect(formatRate(37.56994404476419, true, DE)).to.equal('37,6 B/s');
    for (const n of NO_VALUE) expect(formatRate(n, true, EN), String(n)).to.equal(MISSING);
  });

  it('formats exact numbers with grouping and the given fraction digits', () => {
    expect(formatNumber(0, 0, EN)).to.equal('0');
    expect(formatNumber(1234, 0, EN)).to.equal('1,234');
    expect(formatNumber(0.19952114924181966, 2, EN)).to.equal('0.2');
    expect(formatNumber(1.256, 2, EN)).to.equal('1.26');
    expect(formatNumber(1023.9, 0, EN)).to.equal('1,024');
    expect(formatNumber(1e15, 0, EN)).to.equal('1,000,000,000,000,000');
    expect(formatNumber(U64, 0, EN)).to.equal('18,446,744,073,709,552,000');
    expect(formatNumber(-1234.5, 1, EN)).to.equal('-1,234.5');
    expect(formatNumber(1234.5, 1, DE)).to.equal('1.234,5');
    for (const n of NO_VALUE) expect(formatNumber(n, 0, EN), String(n)).to.equal(MISSING);
  });
});

describe('format: percent', () => {
  it('takes percent units and rounds like the rest', () => {
    expect(formatPercent(0, EN)).to.equal('0%');
    expect(formatPercent(0.2, EN)).to.equal('0.2%');
    expect(formatPercent(0.19952114924181966, EN)).to.equal('0.2%');
    expect(formatPercent(15, EN)).to.equal('15%');
    expect(formatPercent(37.56994404476419, EN)).to.equal('37.6%');
    expect(formatPercent(350, EN)).to.equal('350%');
    expect(formatPercent(1023.9, EN)).to.equal('1,024%');
    expect(formatPercent(1e15, EN)).to.equal('1,000,000,000,000,000%');
    expect(formatPercent(-2.5, EN)).to.equal('-2.5%');
    for (const n of NO_VALUE) expect(formatPercent(n, EN), String(n)).to.equal(MISSING);
  });

  it('follows the locale', () => {
    expect(formatPercent(37.56994404476419, DE)).to.equal('37,6\u00a0%');
  });
});

describe('format: Go durations', () => {
  it('parses what nats-server prints to milliseconds', () => {
    const cases: Array<[string, number]> = [
      ['4.014874ms', 4.014874],
      ['1.317391ms', 1.317391],
      ['150ms', 150],
      ['379µs', 0.379],
      ['379μs', 0.379], // Greek mu, which Go accepts too
      ['379us', 0.379],
      ['1.5us', 0.0015],
      ['12ns', 0.000012],
      ['1h2m3.5s', 3_723_500],
      ['0s', 0],
      ['0', 0],
      ['.5s', 500],
      ['-1.5s', -1500],
      ['2d3h', 2 * 86_400_000 + 3 * 3_600_000],
      ['1y2d', 365 * 86_400_000 + 2 * 86_400_000],
      ['5m', 300_000],
    ];
    for (const [s, ms] of cases) expect(parseGoDuration(s), s).to.be.closeTo(ms, 1e-12);
  });

  it('refuses anything else', () => {
    for (const s of ['abc', '', ' ', '5', '1x', '1h abc', 'abc1s', 'ms', '1.2.3s', '--1s', undefined, null]) {
      expect(parseGoDuration(s), JSON.stringify(s)).to.equal(undefined);
    }
  });

  it('formats three significant digits below a second, seconds below a minute, then the two largest units', () => {
    const cases: Array<[number, string]> = [
      [0, '0 s'],
      [0.000012, '12 ns'],
      [0.0015, '1.5 µs'],
      [0.2, '200 µs'],
      [0.19952114924181966, '200 µs'],
      [0.379, '379 µs'],
      [0.99996, '1 ms'],
      [4.014874, '4.01 ms'],
      [1.317391, '1.32 ms'],
      [37.56994404476419, '37.6 ms'],
      [150, '150 ms'],
      [999.96, '1 s'],
      [1023.9, '1 s'],
      [1024, '1 s'],
      [1300, '1.3 s'],
      [59_940, '59.9 s'],
      [59_960, '1 min'],
      [125_000, '2 min 5 s'],
      [300_000, '5 min'],
      [3_599_600, '1 h'],
      [3_723_500, '1 h 2 min'],
      [2 * 86_400_000 + 3 * 3_600_000, '2 d 3 h'],
      [367 * 86_400_000, '1 y 2 d'],
      [1e15, '31,709 y 289 d'],
      [U64, '584,942,417 y 130 d'],
    ];
    for (const [ms, text] of cases) expect(formatDuration(ms, EN), String(ms)).to.equal(text);
  });

  it('keeps the sign, shows – for missing values and follows the locale', () => {
    expect(formatDuration(-1500, EN)).to.equal('-1.5 s');
    expect(formatDuration(-125_000, EN)).to.equal('-2 min 5 s');
    expect(formatDuration(-0.379, EN)).to.equal('-379 µs');
    for (const n of NO_VALUE) expect(formatDuration(n, EN), String(n)).to.equal(MISSING);
    expect(formatDuration(4.014874, DE)).to.equal('4,01 ms');
    expect(formatDuration(1e15, DE)).to.equal('31.709 y 289 d');
  });

  it('formats round-trip times from server strings and from milliseconds', () => {
    expect(formatRtt('4.014874ms', EN)).to.equal('4.01 ms');
    expect(formatRtt('1.317391ms', EN)).to.equal('1.32 ms');
    expect(formatRtt('379µs', EN)).to.equal('379 µs');
    expect(formatRtt('379us', EN)).to.equal('379 µs');
    expect(formatRtt('1h2m3.5s', EN)).to.equal('1 h 2 min');
    expect(formatRtt('0s', EN)).to.equal('0 s');
    expect(formatRtt(1.5, EN)).to.equal('1.5 ms');
    expect(formatRtt(1.1, EN)).to.equal('1.1 ms');
    expect(formatRtt('4.014874ms', DE)).to.equal('4,01 ms');
    for (const v of ['abc', '', undefined, null, NaN, Infinity]) expect(formatRtt(v, EN), String(v)).to.equal(MISSING);
  });
});

describe('format: times', () => {
  // Local wall-clock times far from midnight: the same-day decision is the same in every time zone.
  const local = (d: number, h: number, m = 0, s = 0) => new Date(2026, 10, d, h, m, s).getTime();
  const now = local(29, 12);

  it('shows the time of day on the same local day as now, date and time otherwise', () => {
    expect(formatTime(local(29, 9, 15, 30), now, 'en-GB')).to.equal('09:15:30');
    expect(formatTime(local(29, 23, 0, 5), now, 'en-GB')).to.equal('23:00:05');
    expect(formatTime(local(28, 13), now, 'en-GB')).to.equal('28 Nov 2026, 13:00:00');
    expect(formatTime(local(30, 11), now, 'en-GB')).to.equal('30 Nov 2026, 11:00:00');
    expect(formatTime(local(29, 9, 15, 30), now, DE)).to.equal('09:15:30');
    expect(formatTime(local(28, 13), now, DE)).to.equal('28.11.2026, 13:00:00');
  });

  it('decides by the local day, not by the distance from now', () => {
    // 1 h and 11 h away on the same day: time only; 23 h away on the day before: with the date.
    expect(formatTime(now - 3_600_000, now, DE)).to.equal('11:00:00');
    expect(formatTime(now + 11 * 3_600_000, now, DE)).to.equal('23:00:00');
    expect(formatTime(now - 23 * 3_600_000, now, DE)).to.equal('28.11.2026, 13:00:00');
  });

  it('reads ISO strings, milliseconds and Dates alike', () => {
    const t = local(29, 9, 15, 30);
    const iso = new Date(t).toISOString();
    expect(formatTime(iso, now, DE)).to.equal('09:15:30');
    expect(formatTime(new Date(t), now, DE)).to.equal('09:15:30');
    expect(formatTime(iso, now - 86_400_000, DE)).to.equal('29.11.2026, 09:15:30');
  });

  it('takes now from the caller, never from the clock', () => {
    const then = new Date(2001, 1, 3, 14, 30).getTime();
    expect(formatTime(then + 60_000, then, DE)).to.equal('14:31:00');
    expect(formatTime(then, then + 86_400_000, DE)).to.equal('03.02.2001, 14:30:00');
  });

  it('shows – for missing and unreadable times', () => {
    for (const v of [undefined, null, '', 'not a date', NaN, Infinity]) expect(formatTime(v, now, DE), String(v)).to.equal(MISSING);
  });
});

describe('format: formatters', () => {
  it('creates each Intl formatter once per locale and style', () => {
    const Original = Intl.NumberFormat;
    let created = 0;
    const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      created++;
      return new Original(...args);
    } as unknown as typeof Intl.NumberFormat;
    Intl.NumberFormat = Counting;
    try {
      // A locale no other test uses: two styles (one fraction digit, integers) for all of these.
      for (let i = 0; i < 200; i++) {
        formatCount(i * 1.37, 'fr-CH');
        formatBytes(i * 1234.5, 'fr-CH');
        formatRate(i * 0.7, true, 'fr-CH');
      }
      expect(created).to.equal(2);
    } finally {
      Intl.NumberFormat = Original;
    }
  });

  it('falls back to the default locale for an unknown one instead of throwing', () => {
    expect(formatBytes(1536, 'not a locale!')).to.equal(formatBytes(1536));
    expect(formatTime(0, 0, 'not a locale!')).to.equal(formatTime(0, 0));
  });

  it('returns plain text', () => {
    for (const text of [formatBytes(1536, EN), formatCount(12_345, EN), formatPercent(15, EN), formatRtt('4.014874ms', EN), formatTime(0, 0, EN)]) {
      expect(text).to.be.a('string');
      expect(text).to.not.match(/[<>&]/);
    }
  });
});
