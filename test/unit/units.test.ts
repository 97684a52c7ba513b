import { expect } from '@open-wc/testing';
import type { Heartbeat } from '../../client/guardian.js';
import { lateAfter, lostAfter, onDisconnect, onHeartbeat, onSilence, unitOfSubject, type UnitRecord } from '../../client/units.js';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const beat = (over: Partial<Heartbeat> = {}): Heartbeat => ({
  type: 'io.nunect.unit.v1.heartbeat',
  unit: 'bridge-1',
  kind: 'bridge',
  version: '1.0.0',
  started: '2026-11-29T09:00:00.000Z',
  seq: 1,
  time: new Date(T0).toISOString(),
  interval: 1_000,
  status: 'ok',
  checks: [],
  load: {},
  ...over,
});

describe('units: the state machine the Controller runs', () => {
  it('a first heartbeat makes a unit alive, with an event', () => {
    const { record, event } = onHeartbeat(undefined, beat(), 'bridge', T0);
    expect(record).to.include({ unit: 'bridge-1', account: 'bridge', state: 'alive', status: 'ok', firstSeen: T0, lastBeat: T0, restarts: 0, flaps: 0 });
    expect(event).to.include({ to: 'alive', reason: 'heartbeats arrive' });
    expect(onHeartbeat(record, beat({ seq: 2 }), 'bridge', T0 + 1_000).event, 'no event while nothing changes').to.equal(undefined);
  });

  it('late after 2 missed beats, lost after 5, with how long ago; back is a flap', () => {
    let r: UnitRecord = onHeartbeat(undefined, beat(), 'bridge', T0).record;
    expect(onSilence(r, T0 + lateAfter(1_000) - 1)).to.equal(undefined);
    const late = onSilence(r, T0 + lateAfter(1_000))!;
    expect(late.record.state).to.equal('late');
    expect(late.event.reason).to.equal('heartbeat expired 3 s ago');
    r = late.record;
    expect(onSilence(r, T0 + 4_000), 'late once').to.equal(undefined);
    const lost = onSilence(r, T0 + lostAfter(1_000))!;
    expect(lost.record.state).to.equal('lost');
    expect(lost.event).to.include({ from: 'late', to: 'lost', reason: 'heartbeat expired 6 s ago' });
    const back = onHeartbeat(lost.record, beat({ seq: 9 }), 'bridge', T0 + 7_000);
    expect(back.record).to.include({ state: 'alive', flaps: 1, restarts: 0 });
    expect(back.event!.reason).to.equal('heartbeats again after being lost');
  });

  it('a new start time is a restart; a stopping heartbeat is a clean stop; a disconnect is late at once, with why', () => {
    const first = onHeartbeat(undefined, beat(), 'bridge', T0).record;
    const again = onHeartbeat(first, beat({ started: '2026-11-29T10:00:05.000Z', seq: 1 }), 'bridge', T0 + 5_000);
    expect(again.record.restarts).to.equal(1);
    expect(again.event!.reason).to.match(/^restarted/);
    const stop = onHeartbeat(again.record, beat({ started: '2026-11-29T10:00:05.000Z', status: 'stopping', reason: 'SIGTERM' }), 'bridge', T0 + 6_000);
    expect(stop.record.state).to.equal('stopped');
    expect(stop.event!.reason).to.equal('stopped: SIGTERM');
    expect(onSilence(stop.record, T0 + 600_000), 'a stopped unit never becomes lost').to.equal(undefined);
    const kicked = onDisconnect(again.record, 'Kicked', T0 + 6_000)!;
    expect(kicked.record.state).to.equal('late');
    expect(kicked.event.reason).to.equal('disconnected: Kicked');
    const gone = onSilence(kicked.record, T0 + 5_000 + lostAfter(1_000))!;
    expect(gone.record.state, 'lost when the heartbeats stay away').to.equal('lost');
  });

  it('a failing check is the unit status, with its message', () => {
    const failing = onHeartbeat(undefined, beat({ status: 'failing', reason: 'check db failed: timed out after 2000 ms' }), 'bridge', T0);
    expect(failing.record).to.include({ state: 'alive', status: 'failing', reason: 'check db failed: timed out after 2000 ms' });
    const ok = onHeartbeat(failing.record, beat({ seq: 2 }), 'bridge', T0 + 1_000);
    expect(ok.event!.status).to.equal('ok');
  });

  it('reads the account and unit of a subject as OPS sees it', () => {
    expect(unitOfSubject('engine.ops.health.engine-7')).to.deep.equal({ account: 'engine', unit: 'engine-7' });
    expect(unitOfSubject('bridge.ops.log.warn.bridge-1')).to.deep.equal({ account: 'bridge', unit: 'bridge-1' });
    expect(unitOfSubject('bridge.other.x')).to.equal(undefined);
  });
});
