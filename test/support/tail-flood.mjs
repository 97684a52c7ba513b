// A publisher in a worker thread for the tail's slow-consumer test (test/integration/tail.node.test.ts):
// it connects over plain TCP, says 'ready', and on 'go' publishes `count` incompressible messages
// of `size` bytes to `subject`, flushes, then sets the shared flag (index 0) to 1 and wakes the
// main thread, which blocks (Atomics.wait) meanwhile so that its own connection reads nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';

const { url, user, pass, subject, count, size, flag } = workerData;
const done = new Int32Array(flag);
const nc = await connect({ servers: url, user, pass, tls: null });
parentPort.postMessage('ready');
parentPort.once('message', async () => {
  let sent = 0;
  try {
    const payload = randomBytes(size);
    for (let i = 0; i < count; i++) {
      payload.writeUInt32BE(i, 0);
      nc.publish(subject, payload);
      sent++;
      if (i % 1_000 === 999) await nc.flush();
    }
    await nc.flush();
  } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    parentPort.postMessage({ sent });
    await nc.close();
  }
});
