/**
 * VirtualWindowController: the window math, and what it measures from a real scroll element. The
 * ResizeObserver is a fake the test triggers, and scroll events are dispatched by the test, so
 * nothing waits for layout callbacks or frames.
 */
import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { virtualWindow, VirtualWindowController, type VirtualWindowOptions } from '../../src/controllers/virtual-window-controller.js';

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

/** A ResizeObserver that reports only when the test calls `resize()`. */
class FakeResizeObserver {
  static all: FakeResizeObserver[] = [];
  targets = new Set<Element>();
  #callback: ResizeObserverCallback;
  constructor(callback: ResizeObserverCallback) {
    this.#callback = callback;
    FakeResizeObserver.all.push(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  /** Reports these targets (all observed ones by default); `blockSize` as their border box height. */
  resize(targets: Element[] = [...this.targets], blockSize?: number): void {
    const entries = targets
      .filter((t) => this.targets.has(t))
      .map((target) => ({ target, borderBoxSize: blockSize === undefined ? [] : [{ blockSize, inlineSize: 0 }] }) as unknown as ResizeObserverEntry);
    this.#callback(entries, this as unknown as ResizeObserver);
  }
  static get current(): FakeResizeObserver | undefined {
    return FakeResizeObserver.all.filter((o) => o.targets.size > 0).at(-1);
  }
}

const w = (scrollTop: number, count: number, viewportHeight = 100, rowHeight = 20, overscan = 3) =>
  virtualWindow({ scrollTop, viewportHeight, rowHeight, overscan }, count);

describe('virtualWindow(): the math', () => {
  // 100 px of view over 20 px rows: 5 rows fit, 3 more on each side.
  it('at the top: the rows in view and the overscan below', () => {
    expect(w(0, 100)).to.deep.equal({ from: 0, to: 8, height: 2_000, offset: 0, after: 1_840 });
    // Part of a row scrolled: still the first row first.
    expect(w(19, 100)).to.deep.equal({ from: 0, to: 8, height: 2_000, offset: 0, after: 1_840 });
    expect(w(20, 100)).to.include({ from: 0, to: 9 });
    expect(w(80, 100)).to.include({ from: 1, to: 12, offset: 20 });
  });

  it('in the middle: overscan on both sides', () => {
    expect(w(1_010, 100)).to.deep.equal({ from: 47, to: 58, height: 2_000, offset: 940, after: 840 });
  });

  it('at the end: clamped to the rows there are', () => {
    // Scrolled to the bottom: scrollTop = height − viewport.
    expect(w(1_900, 100)).to.deep.equal({ from: 92, to: 100, height: 2_000, offset: 1_840, after: 0 });
  });

  it('with 0 rows, and with fewer rows than fit', () => {
    expect(w(0, 0)).to.deep.equal({ from: 0, to: 0, height: 0, offset: 0, after: 0 });
    expect(w(500, 0)).to.deep.equal({ from: 0, to: 0, height: 0, offset: 0, after: 0 });
    expect(w(0, 3)).to.deep.equal({ from: 0, to: 3, height: 60, offset: 0, after: 0 });
  });

  it('scrolled past rows that are gone (the list shrank): an empty window at the end', () => {
    expect(w(1_900, 10)).to.deep.equal({ from: 10, to: 10, height: 200, offset: 200, after: 0 });
  });

  it('after a resize: a taller view or shorter rows take more rows', () => {
    expect(w(0, 100, 200)).to.include({ from: 0, to: 13 });
    expect(w(0, 100, 100, 10)).to.include({ from: 0, to: 13, height: 1_000 });
    // A row that does not fit whole counts: 100 / 30 → 4 rows.
    expect(w(0, 100, 100, 30, 0)).to.include({ from: 0, to: 4 });
    // Fractional row heights keep exact offsets.
    expect(w(1_950, 1_000, 100, 19.5, 0)).to.include({ from: 100, to: 106, offset: 1_950, height: 19_500 });
  });

  it('with no overscan, and with nonsense input', () => {
    expect(w(1_010, 100, 100, 20, 0)).to.include({ from: 50, to: 55 });
    expect(w(-40, 100)).to.include({ from: 0, to: 8 }, 'elastic overscroll above the top');
    expect(w(0, -5)).to.deep.equal({ from: 0, to: 0, height: 0, offset: 0, after: 0 });
    expect(w(0, Number.NaN)).to.include({ from: 0, to: 0 });
    expect(w(0, 10, 100, 0)).to.include({ from: 0, to: 10 }, 'a row height of 0 is not a division by 0');
    expect(w(0, 100, 100, 20, -2)).to.include({ from: 0, to: 5 });
  });
});

describe('VirtualWindowController', () => {
  let scroller: HTMLElement;
  let sample: HTMLElement;
  let host: FakeHost;
  let controller: VirtualWindowController;

  /** A 100 px scroll element over 2,000 px of content, and a 20 px sample row. */
  function setup(options: VirtualWindowOptions = {}) {
    scroller = document.createElement('div');
    scroller.style.cssText = 'height: 100px; overflow-y: auto; overflow-x: hidden; border: 0; padding: 0;';
    const content = document.createElement('div');
    content.style.height = '2000px';
    sample = document.createElement('div');
    sample.style.height = '20px';
    content.append(sample);
    scroller.append(content);
    document.body.append(scroller);
    host = new FakeHost();
    controller = new VirtualWindowController(host, { overscan: 3, ResizeObserver: FakeResizeObserver, ...options });
    host.connect();
    controller.scroller(scroller);
    controller.sampleRow(sample);
  }

  function scrollTo(top: number): void {
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
  }

  function observer(): FakeResizeObserver {
    const o = FakeResizeObserver.current;
    expect(o, 'an observer watching').to.exist;
    return o!;
  }

  afterEach(() => {
    host.disconnect();
    scroller.remove();
    FakeResizeObserver.all = [];
  });

  it('adds itself to the host and assumes sizes until it measures', () => {
    setup({ rowHeight: 28, viewportHeight: 420 });
    expect(host.controllers).to.deep.equal([controller]);
    expect(controller.rowHeight).to.equal(28);
    expect(controller.viewportHeight).to.equal(420);
    // 420 / 28 = 15 rows, 3 more below.
    expect(controller.window(100)).to.include({ from: 0, to: 18, height: 2_800 });
  });

  it('measures the scroll element and the sample row, and asks for an update when the window changes', () => {
    setup();
    controller.window(100);
    const o = observer();
    expect([...o.targets]).to.have.members([scroller, sample]);
    o.resize([scroller]);
    expect(controller.viewportHeight).to.equal(100);
    expect(host.updates, 'fewer rows fit: a new window').to.equal(1);
    o.resize([sample], 20);
    expect(controller.rowHeight).to.equal(20);
    expect(host.updates).to.equal(2);
    expect(controller.window(100)).to.deep.equal({ from: 0, to: 8, height: 2_000, offset: 0, after: 1_840 });
    // The same sizes again: nothing to do.
    o.resize();
    expect(host.updates).to.equal(2);
  });

  it('falls back to offsetHeight when the observer gives no border box', () => {
    setup();
    observer().resize([sample]);
    expect(controller.rowHeight).to.equal(20);
  });

  it('follows scrolling, asking for an update only when the window changes', () => {
    setup();
    const o = observer();
    o.resize([scroller]);
    o.resize([sample], 20);
    expect(controller.window(100)).to.include({ from: 0, to: 8 });
    const before = host.updates;
    scrollTo(10);
    expect(controller.scrollTop).to.equal(10);
    expect(host.updates, 'half a row: same window').to.equal(before);
    scrollTo(20);
    expect(host.updates, 'a row further: one more row below').to.equal(before + 1);
    expect(controller.window(100)).to.include({ from: 0, to: 9 });
    scrollTo(30);
    expect(host.updates).to.equal(before + 1);
    scrollTo(1_010);
    expect(host.updates).to.equal(before + 2);
    expect(controller.window(100)).to.deep.equal({ from: 47, to: 58, height: 2_000, offset: 940, after: 840 });
  });

  it('checks changes against the count of the last window() call', () => {
    setup();
    const o = observer();
    o.resize([scroller]);
    o.resize([sample], 20);
    // 5 rows: all of them are in the window, whatever the first rows of the view.
    expect(controller.window(5)).to.include({ from: 0, to: 5 });
    const before = host.updates;
    scrollTo(20);
    scrollTo(60);
    expect(host.updates, 'the 5 rows stay the window').to.equal(before);
    scrollTo(80);
    expect(host.updates, 'row 0 leaves the window').to.equal(before + 1);
    expect(controller.window(5)).to.include({ from: 1, to: 5 });
  });

  it('asks for an update on a resize that changes the window, and only then', () => {
    setup();
    const o = observer();
    o.resize([scroller]);
    o.resize([sample], 20);
    controller.window(100);
    const before = host.updates;
    scroller.style.height = '110px';
    o.resize([scroller]);
    expect(controller.viewportHeight).to.equal(110);
    expect(host.updates, '110 / 20 → 6 rows instead of 5').to.equal(before + 1);
    controller.window(100);
    scroller.style.height = '115px';
    o.resize([scroller]);
    expect(controller.viewportHeight).to.equal(115);
    expect(host.updates, 'still 6 rows').to.equal(before + 1);
    o.resize([sample], 25);
    expect(host.updates, 'taller rows: new heights').to.equal(before + 2);
    expect(controller.window(100)).to.include({ from: 0, to: 8, height: 2_500 });
  });

  it('ignores zero sizes (an element not displayed)', () => {
    setup();
    const o = observer();
    o.resize([scroller]);
    o.resize([sample], 20);
    const before = host.updates;
    scroller.style.display = 'none';
    o.resize([scroller]);
    o.resize([sample], 0);
    expect(controller.viewportHeight).to.equal(100);
    expect(controller.rowHeight).to.equal(20);
    expect(host.updates).to.equal(before);
  });

  it('releases the listener and the observer on disconnect, and measures again on reconnect', () => {
    setup();
    const o = observer();
    o.resize([scroller]);
    o.resize([sample], 20);
    controller.window(100);
    host.disconnect();
    expect(o.targets.size, 'nothing observed').to.equal(0);
    expect(FakeResizeObserver.current).to.equal(undefined);
    const before = host.updates;
    scrollTo(1_000);
    expect(controller.scrollTop, 'no scroll listener').to.equal(0);
    expect(host.updates).to.equal(before);
    host.connect();
    expect(controller.scrollTop, 'the scroll position read again').to.equal(1_000);
    expect(host.updates).to.equal(before + 1);
    expect([...observer().targets]).to.have.members([scroller, sample]);
    scrollTo(0);
    expect(controller.scrollTop).to.equal(0);
  });

  it('detaches on a ref callback with undefined, and reads a new scroll element', () => {
    setup();
    const o = observer();
    controller.scroller(undefined);
    controller.sampleRow(undefined);
    expect(o.targets.size).to.equal(0);
    scrollTo(500);
    expect(controller.scrollTop).to.equal(0);
    // A new scroll element (here: the same one, scrolled) is read at once.
    controller.window(100);
    const before = host.updates;
    controller.scroller(scroller);
    expect(controller.scrollTop).to.equal(500);
    expect(host.updates).to.equal(before + 1);
    expect([...observer().targets]).to.deep.equal([scroller]);
  });

  it('waits for the host to connect before listening', () => {
    scroller = document.createElement('div');
    document.body.append(scroller);
    host = new FakeHost();
    controller = new VirtualWindowController(host, { ResizeObserver: FakeResizeObserver });
    controller.scroller(scroller);
    expect(FakeResizeObserver.current).to.equal(undefined);
    host.connect();
    expect([...observer().targets]).to.deep.equal([scroller]);
    expect(controller.overscan).to.equal(8);
  });
});
