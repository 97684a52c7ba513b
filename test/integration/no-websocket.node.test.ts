/** Node without a WebSocket: the browser entry point refuses at once instead of hanging. */
import { test } from 'node:test';
import { connect } from '../../client/index.js';
import { rejects } from '../support/assert.js';

test('connect() without any WebSocket implementation is a clear NO_WEBSOCKET error', async () => {
  const had = (globalThis as { WebSocket?: unknown }).WebSocket;
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
  try {
    await rejects(
      () => connect({ servers: 'wss://127.0.0.1:1', user: 'u', pass: 'p', timeout: 1_000 }),
      'NO_WEBSOCKET',
      /import "nunect\/client"|webSocketFactory/,
    );
  } finally {
    if (had) (globalThis as { WebSocket?: unknown }).WebSocket = had;
  }
});
