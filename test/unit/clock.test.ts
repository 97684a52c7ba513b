import { expect } from '@open-wc/testing';
import { ManualClock, systemClock } from '../../client/index.js';

type TestGlobals = typeof globalThis & { __nunectClockShift?: number; __nunectTestTimeZone?: string };
const g = globalThis as TestGlobals;

describe('clocks', () => {
  it('a ManualClock moves only when told to', () => {
    const clock = new ManualClock('2026-11-29T15:05:28.961Z');
    expect(clock.now()).to.equal(Date.parse('2026-11-29T15:05:28.961Z'));
    clock.advance(1_500);
    expect(clock.now()).to.equal(Date.parse('2026-11-29T15:05:30.461Z'));
    clock.set(0);
    expect(clock.now()).to.equal(0);
    expect(() => new ManualClock('not a date')).to.throw(RangeError);
  });

  it('the system clock is the wall clock', () => {
    const before = Date.now();
    const t = systemClock.now();
    expect(t).to.be.at.least(before).and.at.most(Date.now());
  });

  // The suite runs again with the wall clock a year ahead and in far-off time zones
  // (scripts/test.mjs); these make sure that run really had them.
  it('runs with the wall clock and time zone the runner asked for', () => {
    if (g.__nunectClockShift) {
      const real = performance.timeOrigin + performance.now();
      expect(Date.now() - real).to.be.closeTo(g.__nunectClockShift, 60_000);
    }
    if (g.__nunectTestTimeZone) {
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).to.equal(g.__nunectTestTimeZone);
    }
  });
});
