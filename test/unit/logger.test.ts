import { expect } from '@open-wc/testing';
import { createLogger, type ConnectionStatus, type NunectClient } from '../../client/index.js';

/** A stand-in for NunectClient with what the logger uses: status, on('status'), publish. */
class FakeClient {
  status: ConnectionStatus = { state: 'connected', reconnects: 0, since: 0 };
  published: Array<{ subject: string; data: string }> = [];
  failPublish = false;
  private listeners = new Set<(s: ConnectionStatus) => void>();

  on(_event: 'status', l: (s: ConnectionStatus) => void) {
    this.listeners.add(l);
    l(this.status);
    return () => this.listeners.delete(l);
  }

  publish(subject: string, data: string) {
    if (this.failPublish) throw new Error('closed');
    this.published.push({ subject, data });
  }

  setState(state: ConnectionStatus['state']) {
    this.status = { ...this.status, state };
    for (const l of this.listeners) l(this.status);
  }

  get listenerCount() {
    return this.listeners.size;
  }
}

const asClient = (f: FakeClient) => f as unknown as NunectClient;

describe('createLogger', () => {
  it('publishes JSON records to ops.log.{level}.{unitID}', () => {
    const fake = new FakeClient();
    const log = createLogger(asClient(fake), 'engine-1');
    log.info('hello', { n: 1 });
    log.error('bad', new Error('boom'));
    expect(fake.published.map((p) => p.subject)).to.deep.equal(['ops.log.info.engine-1', 'ops.log.error.engine-1']);
    const rec = JSON.parse(fake.published[0]!.data);
    expect(rec).to.include({ level: 'info', unit: 'engine-1', message: 'hello' });
    expect(rec.data).to.deep.equal({ n: 1 });
    expect(JSON.parse(fake.published[1]!.data).data).to.include({ name: 'Error', message: 'boom' });
  });

  it('refuses a unit ID that is not one subject token', () => {
    for (const bad of ['', 'a.b', '*', '>', 'a b']) {
      expect(() => createLogger(asClient(new FakeClient()), bad), bad).to.throw(/unit ID/);
    }
  });

  it('honours the minimum level', () => {
    const fake = new FakeClient();
    const log = createLogger(asClient(fake), 'u', { level: 'warn' });
    log.debug('no');
    log.info('no');
    log.warn('yes');
    expect(fake.published.length).to.equal(1);
  });

  it('never throws: unserialisable data, a failing publish, a closed client', () => {
    const fake = new FakeClient();
    const log = createLogger(asClient(fake), 'u');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    log.info('circular', circular);
    log.info('big', 10n);
    expect(JSON.parse(fake.published[0]!.data).data).to.match(/unserialisable/);
    expect(JSON.parse(fake.published[1]!.data).data).to.equal('10');
    fake.failPublish = true;
    expect(() => log.warn('publish fails')).to.not.throw();
    expect(log.buffered).to.equal(1);
    fake.setState('closed');
    expect(() => log.error('closed')).to.not.throw();
    expect(log.dropped).to.equal(2);
    expect(log.buffered).to.equal(0);
  });

  it('buffers while disconnected, bounded, counts drops, and flushes in order on reconnect', () => {
    const fake = new FakeClient();
    const log = createLogger(asClient(fake), 'u', { bufferSize: 2 });
    fake.setState('reconnecting');
    log.info('1');
    log.info('2');
    log.info('3');
    expect(log.buffered).to.equal(2);
    expect(log.dropped).to.equal(1);
    expect(fake.published.length).to.equal(0);
    fake.setState('connected');
    expect(fake.published.map((p) => JSON.parse(p.data).message)).to.deep.equal(['2', '3']);
    expect(log.buffered).to.equal(0);
    log.dispose();
    expect(fake.listenerCount).to.equal(0);
  });
});
