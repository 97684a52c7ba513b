/**
 * FrameBatchController on a fake scheduler: frames and time move only when the test says so
 * (no real frames, timers or sleeps).
 */
import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FrameBatchController, type FrameBatchOptions } from '../../src/controllers/frame-batch-controller.js';
import { FakeScheduler } from '../support/fake-scheduler.js';

/** The least a controller needs of a host. */
class FakeHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(c: ReactiveController): void {
    this.controllers = this.controllers.filter((x) => x !== c);
  }
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

function setup(options: Omit<FrameBatchOptions, 'scheduler'> = {}) {
  const scheduler = new FakeScheduler();
  const host = new FakeHost();
  const batches: Array<{ at: number; items: number[] }> = [];
  const controller = new FrameBatchController<number>(host, (items) => batches.push({ at: scheduler.now(), items }), { ...options, scheduler });
  host.connect();
  return { scheduler, host, batches, controller };
}

describe('FrameBatchController', () => {
  it('adds itself to the host', () => {
    const { host, controller } = setup();
    expect(host.controllers).to.deep.equal([controller]);
    expect(controller.minInterval).to.equal(100);
    expect(controller.fallback).to.equal(250);
  });

  it('flushes everything pushed before a frame in one batch, on that frame', () => {
    const { scheduler, batches, controller } = setup();
    for (let i = 1; i <= 5; i++) controller.push(i);
    expect(batches, 'nothing before the frame').to.deep.equal([]);
    expect(scheduler.frames.size, 'one frame requested for five pushes').to.equal(1);
    expect(controller.pending).to.equal(5);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2, 3, 4, 5]]);
    expect(controller.pending).to.equal(0);
    expect(scheduler.idle, 'its fallback timer cancelled').to.equal(true);
  });

  it('flushes at most once per frame, however many items arrive', () => {
    const { scheduler, batches, controller } = setup({ minInterval: 0 });
    controller.push(1);
    scheduler.frame();
    controller.push(2);
    controller.push(3);
    expect(scheduler.frames.size).to.equal(1);
    scheduler.frame();
    controller.push(4);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1], [2, 3], [4]]);
    scheduler.frame();
    expect(batches, 'no empty flush').to.have.length(3);
  });

  it('waits minInterval after a flush before asking for the next frame', () => {
    const { scheduler, batches, controller } = setup();
    controller.push(1);
    scheduler.frame();
    const first = batches[0]!.at;
    scheduler.advance(40);
    controller.push(2);
    expect(scheduler.frames.size, 'no frame before the interval is over').to.equal(0);
    scheduler.frame();
    scheduler.advance(59);
    scheduler.frame();
    expect(batches).to.have.length(1);
    scheduler.advance(1);
    expect(scheduler.frames.size, 'a frame once the interval is over').to.equal(1);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1], [2]]);
    expect(batches[1]!.at - first).to.equal(100);
  });

  it('takes minInterval from its options', () => {
    const { scheduler, batches, controller } = setup({ minInterval: 500 });
    controller.push(1);
    scheduler.frame();
    controller.push(2);
    scheduler.advance(499);
    scheduler.frame();
    expect(batches).to.have.length(1);
    scheduler.advance(1);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1], [2]]);
    expect(batches[1]!.at - batches[0]!.at).to.equal(500);
  });

  it('reads a minInterval function each time it plans a flush (a long list redraws less often)', () => {
    let min = 100;
    const { scheduler, batches, controller } = setup({ minInterval: () => min });
    controller.push(1);
    scheduler.frame();
    min = 250;
    expect(controller.minInterval).to.equal(250);
    controller.push(2);
    scheduler.advance(100);
    scheduler.frame();
    expect(batches, 'not after 100 ms any more').to.have.length(1);
    scheduler.advance(150);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1], [2]]);
    expect(batches[1]!.at - batches[0]!.at).to.equal(250);
  });

  it('flushes on the fallback timer when frames stall (hidden tab)', () => {
    const { scheduler, batches, controller } = setup();
    controller.push(1);
    controller.push(2);
    scheduler.advance(249);
    expect(batches).to.deep.equal([]);
    scheduler.advance(1);
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2]]);
    expect(scheduler.idle, 'the frame request cancelled').to.equal(true);
    // Still stalled: the next batch waits minInterval, then the fallback again.
    controller.push(3);
    scheduler.advance(100 + 249);
    expect(batches).to.have.length(1);
    scheduler.advance(1);
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2], [3]]);
  });

  it('takes the fallback delay from its options', () => {
    const { scheduler, batches, controller } = setup({ fallback: 1_000 });
    controller.push(1);
    scheduler.advance(999);
    expect(batches).to.deep.equal([]);
    scheduler.advance(1);
    expect(batches).to.have.length(1);
  });

  it('flushes at once when maxPending items wait, and cancels the scheduled flush', () => {
    const { scheduler, batches, controller } = setup({ maxPending: 4 });
    controller.push(1);
    controller.push(2);
    controller.push(3);
    expect(batches).to.deep.equal([]);
    controller.push(4);
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2, 3, 4]]);
    expect(scheduler.idle).to.equal(true);
    controller.push(5);
    scheduler.advance(100);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2, 3, 4], [5]]);
  });

  it('reads a maxPending function on every push (a capacity that changes)', () => {
    let capacity = 3;
    const { batches, controller } = setup({ maxPending: () => 2 * capacity });
    for (let i = 0; i < 5; i++) controller.push(i);
    expect(batches).to.deep.equal([]);
    capacity = 2;
    controller.push(5);
    expect(batches.map((b) => b.items.length)).to.deep.equal([6]);
    for (let i = 0; i < 3; i++) controller.push(i);
    expect(batches).to.have.length(1);
    controller.push(3);
    expect(batches.map((b) => b.items.length)).to.deep.equal([6, 4]);
  });

  it('bounds every batch by maxPending whatever the rate, losing no item', () => {
    const { scheduler, batches, controller } = setup({ maxPending: 2_000 });
    // 10,500 items with frames and timers stalled: five full batches at once, the rest waits.
    for (let i = 0; i < 10_500; i++) controller.push(i);
    expect(batches.map((b) => b.items.length)).to.deep.equal([2_000, 2_000, 2_000, 2_000, 2_000]);
    expect(controller.pending).to.equal(500);
    scheduler.advance(100);
    scheduler.frame();
    expect(batches.map((b) => b.items.length)).to.deep.equal([2_000, 2_000, 2_000, 2_000, 2_000, 500]);
    const all = batches.flatMap((b) => b.items);
    expect(all).to.have.length(10_500);
    expect(
      all.every((v, i) => v === i),
      'in order, each once',
    ).to.equal(true);
  });

  it('cancels its frame and timer on disconnect and resumes the waiting items on reconnect', () => {
    const { scheduler, host, batches, controller } = setup();
    controller.push(1);
    controller.push(2);
    expect(scheduler.idle).to.equal(false);
    host.disconnect();
    expect(scheduler.idle, 'nothing scheduled while disconnected').to.equal(true);
    scheduler.frame();
    scheduler.advance(10_000);
    expect(batches).to.deep.equal([]);
    controller.push(3);
    expect(scheduler.idle, 'a push while disconnected schedules nothing').to.equal(true);
    expect(controller.pending).to.equal(3);
    host.connect();
    expect(scheduler.frames.size).to.equal(1);
    scheduler.frame();
    expect(batches.map((b) => b.items)).to.deep.equal([[1, 2, 3]]);
    // Reconnected with nothing waiting: nothing scheduled.
    host.disconnect();
    host.connect();
    expect(scheduler.idle).to.equal(true);
  });

  it('keeps memory bounded while disconnected (maxPending still flushes)', () => {
    const { scheduler, host, batches, controller } = setup({ maxPending: 3 });
    host.disconnect();
    for (let i = 0; i < 7; i++) controller.push(i);
    expect(batches.map((b) => b.items)).to.deep.equal([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(controller.pending).to.equal(1);
    expect(scheduler.idle).to.equal(true);
  });

  it('flush() hands over the waiting items now; clear() drops them', () => {
    const { scheduler, batches, controller } = setup();
    controller.push(1);
    controller.flush();
    expect(batches.map((b) => b.items)).to.deep.equal([[1]]);
    expect(scheduler.idle).to.equal(true);
    controller.flush();
    expect(batches, 'an empty flush calls nothing').to.have.length(1);
    controller.push(2);
    controller.clear();
    expect(controller.pending).to.equal(0);
    expect(scheduler.idle).to.equal(true);
    scheduler.advance(1_000);
    scheduler.frame();
    expect(batches).to.have.length(1);
  });

  it('lets the callback push again (the next batch is scheduled, not lost)', () => {
    const scheduler = new FakeScheduler();
    const host = new FakeHost();
    const seen: number[][] = [];
    const controller: FrameBatchController<number> = new FrameBatchController<number>(
      host,
      (items) => {
        seen.push(items);
        if (items[0] === 1) controller.push(99);
      },
      { scheduler, minInterval: 0 },
    );
    host.connect();
    controller.push(1);
    scheduler.frame();
    expect(scheduler.frames.size).to.equal(1);
    scheduler.frame();
    expect(seen).to.deep.equal([[1], [99]]);
  });

  it('uses the platform for what the scheduler option leaves out', () => {
    const scheduler = new FakeScheduler();
    const host = new FakeHost();
    const batches: number[][] = [];
    // Only the clock and timers are fake; the frame request goes to the real requestAnimationFrame,
    // and the test flushes through the fake fallback timer before any real frame can come.
    const controller = new FrameBatchController<number>(host, (b) => batches.push(b), {
      scheduler: { now: () => scheduler.now(), setTimeout: (cb, ms) => scheduler.setTimeout(cb, ms), clearTimeout: (h) => scheduler.clearTimeout(h) },
    });
    host.connect();
    controller.push(1);
    scheduler.advance(250);
    expect(batches).to.deep.equal([[1]]);
    host.disconnect();
  });
});
